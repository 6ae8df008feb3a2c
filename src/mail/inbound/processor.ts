// Runs stored inbound messages through dispatchInbound, a few at a time, and records each
// outcome. Messages stored before a crash are picked up again at start (recover).
import type { InboundStore } from '../../db/inbound-store.js';
import type { Deps } from '../../domain/ports.js';
import { dispatchInbound, type BounceSink, type InboundConfig } from './dispatch.js';

export interface QueuedMessage {
  raw: Buffer;
  mailFrom: string | null;
  rcptTo: string[];
  /** Read back from storage (recovery): it may have been applied before a crash. */
  replay?: boolean;
}

export interface InboundProcessor {
  /** A stored message to process; pass its content when at hand (spares reading it back). */
  enqueue(id: number, message?: QueuedMessage): void;
  recover(): Promise<void>;
  /** Resolves when nothing is queued or running (tests, benchmarks, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Log { info(o: object, m: string): void; error(o: object, m: string): void }

export function createInboundProcessor(deps: Deps, store: InboundStore, bounces: BounceSink, cfg: InboundConfig, opts: { concurrency: number; log?: Log }): InboundProcessor {
  const queue: { id: number; message?: QueuedMessage }[] = [];
  let active = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  async function load(id: number): Promise<QueuedMessage | null> {
    const row = await store.get(id);
    if (!row || row.status !== 'received') return null;
    return { raw: row.raw, mailFrom: row.mailFrom, rcptTo: row.rcptTo.split(',').map((s) => s.trim()).filter(Boolean), replay: true };
  }

  async function handle(id: number, given?: QueuedMessage): Promise<void> {
    const message = given ?? (await load(id));
    if (!message) return;
    try {
      const result = await dispatchInbound(deps, bounces, cfg, message);
      await store.finish(id, result.status, result.reason, result.eventId);
      opts.log?.info({ inbound: id, ...result }, 'inbound processed');
    } catch (err) {
      // Kept raw with status failed: visible and re-playable, never silently dropped.
      opts.log?.error({ inbound: id, err }, 'inbound processing failed');
      await store.finish(id, 'failed', err instanceof Error ? err.message : String(err), null).catch(() => {});
    }
  }

  function pump(): void {
    while (!stopped && active < opts.concurrency && queue.length) {
      const { id, message } = queue.shift()!;
      active++;
      void handle(id, message).finally(() => {
        active--;
        pump();
      });
    }
    if (active === 0 && queue.length === 0) {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    }
  }

  return {
    enqueue(id, message) {
      queue.push({ id, ...(message && { message }) });
      pump();
    },
    async recover() {
      for (const id of await store.unprocessed(10_000)) queue.push({ id });
      pump();
    },
    idle: () => (active === 0 && queue.length === 0 ? Promise.resolve() : new Promise((r) => waiters.push(r))),
    async stop() {
      stopped = true;
      queue.length = 0;
      if (active) await new Promise<void>((r) => waiters.push(r));
    },
  };
}
