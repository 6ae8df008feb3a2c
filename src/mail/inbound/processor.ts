// Runs stored inbound messages through their reading (on a parse thread, mail-reader.ts) and
// dispatchInbound, several at a time, and records each outcome. Messages stored before a crash
// are picked up again at start (recover); one whose processing threw (or whose parse thread
// died) is retried a few times before it is kept as failed; one whose reading timed out (its
// parse thread stuck on it alone) is kept as failed at once. Recovery reads the stored backlog
// page by page as the queue empties, so any backlog fits in bounded memory. The queue holds a
// message's content only while all the content held stays within a byte budget; beyond it the
// queue keeps the id (the content is read back when its turn comes), and beyond a number of
// ids it keeps nothing and reads the stored backlog from that id again as it empties.
import type { InboundStore } from './ports.js';
import type { Deps } from '../../domain/ports.js';
import { dispatchInbound, type BounceSink, type InboundConfig } from './dispatch.js';
import { isReadTimeout, type MailReader } from './mail-reader.js';
import type { DraftConfig } from './draft-mail.js';
import { NEW_LOCAL } from './recipients.js';

export interface QueuedMessage {
  raw: Buffer;
  mailFrom: string | null;
  rcptTo: string[];
}

export interface InboundProcessor {
  /**
   * A stored message to process; pass its content when at hand (spares reading it back, when
   * the byte budget allows holding it). One not 'received' any more is skipped when read back.
   */
  enqueue(id: number, message?: QueuedMessage): void;
  /** Reads every stored 'received' message, page by page as the queue empties (at start; after a door's store call failed). */
  recover(): Promise<void>;
  /** Raw bytes the processor holds: queued with their content, or being processed (tests). */
  heldBytes(): number;
  /** Resolves when nothing is queued or running (tests, benchmarks, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Log { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void }

export interface ProcessorOptions {
  concurrency: number;
  /** Reads a message into its facts and a draft proposal (mail-reader.ts); a rejection (its thread died) is retried like any failure. */
  read: MailReader['read'];
  log?: Log;
  /** Waits before retrying a message whose processing threw (a database outage, say). */
  retryDelaysMs?: number[];
  /** Stored messages read at once by recover() (default RECOVERY_PAGE). */
  recoveryPage?: number;
  /**
   * Raw bytes held at most (default HELD_BYTES): messages queued with their content and those
   * being processed; a message read back starts only while below it (or when nothing runs).
   */
  heldBytes?: number;
  /** Ids queued at most (default the recovery page); more are read back from storage later. */
  maxQueued?: number;
}

const RETRY_DELAYS_MS = [1_000, 10_000, 60_000];
const RECOVERY_PAGE = 500;
const HELD_BYTES = 8 * 1024 * 1024;

export function createInboundProcessor(deps: Deps, store: InboundStore, bounces: BounceSink, cfg: InboundConfig, opts: ProcessorOptions): InboundProcessor {
  const queue: { id: number; message?: QueuedMessage }[] = [];
  const delays = opts.retryDelaysMs ?? RETRY_DELAYS_MS;
  const attempts = new Map<number, number>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const page = opts.recoveryPage ?? RECOVERY_PAGE;
  const budget = opts.heldBytes ?? HELD_BYTES;
  const maxQueued = opts.maxQueued ?? page;
  /** Ids queued or running: the recovery pages and the doors may both name a message. */
  const known = new Set<number>();
  /** Where the next recovery page starts (null: no backlog left to read). */
  let recoverAfter: number | null = null;
  /** Lowest place a page must start from again, asked for while a page was being read. */
  let rewoundTo: number | null = null;
  let reading = false;
  /** A message being read back from storage (one at a time, so its bytes count before the next starts). */
  let loading = false;
  /** Raw bytes of messages queued with their content or running. */
  let held = 0;
  let active = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const lower = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));

  /** Reads the stored backlog again from after `afterId` (already queued ids are skipped). */
  function rewind(afterId: number): void {
    if (reading) rewoundTo = lower(rewoundTo, afterId);
    else recoverAfter = lower(recoverAfter, afterId);
  }

  function add(id: number, message?: QueuedMessage): void {
    // Stopped: left 'received' in storage for the next start (a page read or a door may still answer).
    if (stopped || known.has(id)) return;
    if (queue.length >= maxQueued) {
      // Stored all the same: read back from storage once the queue has room.
      rewind(id - 1);
      return;
    }
    known.add(id);
    const keep = message && held + message.raw.length <= budget;
    if (keep) held += message.raw.length;
    queue.push({ id, ...(keep && { message }) });
  }

  /** Reads the next page of the stored backlog once the queue runs low. */
  function readBacklog(): void {
    if (recoverAfter === null || reading || stopped || queue.length > opts.concurrency) return;
    reading = true;
    const from = recoverAfter;
    store.unprocessed(page, from).then((ids) => {
      recoverAfter = ids.length === page ? ids.at(-1)! : null;
      for (const id of ids) add(id);
    }, (err: unknown) => {
      // Left 'received', and read again from the same place after the first retry delay.
      opts.log?.error({ err }, 'reading stored inbound messages failed; reading them again later');
      recoverAfter = null;
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        rewind(from);
        pump();
      }, delays[0] ?? RETRY_DELAYS_MS[0]);
      retryTimers.add(timer);
    }).finally(() => {
      reading = false;
      if (rewoundTo !== null) recoverAfter = lower(recoverAfter, rewoundTo);
      rewoundTo = null;
      pump();
    });
  }

  function retryLater(id: number, delay: number): void {
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      // Read back: if its change committed before the failure, it is no longer 'received'.
      queue.push({ id });
      pump();
    }, delay);
    retryTimers.add(timer);
  }

  /** How the reader reads a mail to new@: this thread's settings and clock (a parse thread reads no clock). */
  const drafts = (): DraftConfig => ({
    mailDomain: cfg.mailDomain, botAddresses: [cfg.mailFrom], newLocal: cfg.newLocal ?? NEW_LOCAL,
    defaultSlotMinutes: deps.config.defaultSlotMinutes, senderZone: null, now: deps.clock.now(),
  });

  async function load(id: number): Promise<QueuedMessage | null> {
    const row = await store.get(id);
    if (!row || row.status !== 'received') return null;
    return { raw: row.raw, mailFrom: row.mailFrom, rcptTo: row.rcptTo.split(',').map((s) => s.trim()).filter(Boolean) };
  }

  /** Reads a message back; its bytes count as held from here (handle() returns them). */
  async function loadCounted(id: number): Promise<QueuedMessage | null> {
    loading = true;
    try {
      const message = await load(id);
      if (message) held += message.raw.length;
      return message;
    } finally {
      loading = false;
      queueMicrotask(pump);
    }
  }

  async function handle(id: number, given?: QueuedMessage): Promise<void> {
    let message = given ?? null;
    try {
      message ??= await loadCounted(id);
      if (!message) return;
      const reading = await opts.read({ raw: message.raw, mailFrom: message.mailFrom, rcptTo: message.rcptTo, drafts: drafts() });
      const result = await dispatchInbound(deps, bounces, cfg, { ...reading, rcptTo: message.rcptTo, inboundId: id });
      if (!result.recorded) await store.finish(id, result.status, result.reason, result.eventId);
      opts.log?.info({ inbound: id, ...result }, 'inbound processed');
      attempts.delete(id);
    } catch (err) {
      // Cut short by a shutdown (its parse thread closed): still 'received', read at the next start.
      if (stopped) return;
      const attempt = (attempts.get(id) ?? 0) + 1;
      // A read that timed out alone on its thread would again (the same bytes): no retry, which
      // would stall the parse thread once more for each.
      const delay = isReadTimeout(err) ? undefined : delays[attempt - 1];
      if (delay !== undefined) {
        attempts.set(id, attempt);
        opts.log?.warn({ inbound: id, err, attempt }, 'inbound processing failed, will retry');
        retryLater(id, delay);
        return;
      }
      attempts.delete(id);
      // Kept raw with status failed: visible and re-playable, never silently dropped.
      opts.log?.error({ inbound: id, err }, 'inbound processing failed for good');
      await store.finish(id, 'failed', err instanceof Error ? err.message : String(err), null).catch(() => {});
    } finally {
      if (message) held -= message.raw.length;
    }
  }

  function pump(): void {
    readBacklog();
    while (!stopped && active < opts.concurrency && queue.length) {
      // One read back at a time, and only while the bytes held leave room (or nothing runs).
      if (!queue[0]!.message && (loading || (active > 0 && held >= budget))) break;
      const { id, message } = queue.shift()!;
      active++;
      void handle(id, message).finally(() => {
        // A message waiting for its retry stays known, so a recovery page does not queue it too.
        if (!attempts.has(id)) known.delete(id);
        active--;
        pump();
      });
    }
    if (active === 0 && queue.length === 0 && retryTimers.size === 0 && recoverAfter === null && !reading) {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    }
  }

  return {
    enqueue(id, message) {
      add(id, message);
      pump();
    },
    async recover() {
      rewind(0);
      pump();
    },
    heldBytes: () => held,
    idle: () => (active === 0 && queue.length === 0 && retryTimers.size === 0 && recoverAfter === null && !reading
      ? Promise.resolve() : new Promise((r) => waiters.push(r))),
    async stop() {
      stopped = true;
      for (const { message } of queue) if (message) held -= message.raw.length;
      queue.length = 0;
      recoverAfter = null;
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      if (active) await new Promise<void>((r) => waiters.push(r));
    },
  };
}
