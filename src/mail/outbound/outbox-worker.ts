// Delivers outbox rows: claim a batch, send in parallel over the pooled transport, settle.
// Temporary failures back off exponentially (with jitter); after the last attempt, or on a
// permanent 5xx, the row is failed and the failure is written into the event log.
import type { OutboxStore, Outcome } from '../../db/outbox-store.js';
import type { Deliverer } from './deliver.js';

export interface WorkerOptions {
  batchSize: number;
  concurrency: number;
  maxAttempts: number;
  backoffMs: number;
  pollMs: number;
  /** How long a claimed row stays ours before another worker may take it over. */
  lockMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface OutboxWorker {
  /** Run a pass now (new rows were written). */
  kick(): void;
  /** One full pass: claims and sends until nothing is due. Returns rows settled. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function backoffDelay(attempt: number, baseMs: number, random = Math.random): number {
  const exp = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(Math.min(exp, 3_600_000) * (0.75 + random() * 0.5));
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

export function startOutboxWorker(store: OutboxStore, deliverer: Deliverer, opts: WorkerOptions): OutboxWorker {
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  const lockMs = opts.lockMs ?? 120_000;

  // Two claim-send-settle loops overlap, so the connections stay busy while one loop is
  // between batches (claiming or settling); claims are atomic, so they never share a row.
  async function pass(): Promise<number> {
    const counts = await Promise.all([lane(), lane()]);
    return counts[0]! + counts[1]!;
  }

  async function lane(): Promise<number> {
    let total = 0;
    while (!stopped) {
      const rows = await store.claim(opts.batchSize, lockMs);
      if (!rows.length) break;
      const outcomes: Outcome[] = [];
      await inParallel(rows, Math.max(1, Math.ceil(opts.concurrency / 2)), async (row) => {
        const base = { id: row.id, eventId: row.eventId, recipient: row.recipient, messageId: row.messageId, kind: row.kind };
        const r = await deliverer.deliver(row);
        if (r.ok) {
          outcomes.push({ ...base, result: 'sent', scrubbedPayload: r.scrubbed });
          return;
        }
        const attempt = row.attempts + 1;
        const final = r.permanent || attempt >= opts.maxAttempts;
        if (final) opts.log?.error({ outbox: row.id, error: r.error }, 'outbox: delivery failed for good');
        else opts.log?.warn({ outbox: row.id, attempt, error: r.error }, 'outbox: delivery failed, will retry');
        outcomes.push(final
          ? { ...base, result: 'failed', error: r.error, ...(r.scrubbed && { scrubbedPayload: r.scrubbed }) }
          : { ...base, result: 'retry', error: r.error, nextAttemptAt: new Date(Date.now() + backoffDelay(attempt, opts.backoffMs)) });
      });
      await store.settle(outcomes, new Map(rows.map((r) => [r.id, r.attempts])));
      total += outcomes.length;
    }
    return total;
  }

  function run(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let n = 0;
      do {
        again = false;
        try {
          n += await pass();
        } catch (err) {
          opts.log?.error({ err }, 'outbox: pass failed');
        }
      } while (again && !stopped);
      return n;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const tick = () => {
    if (stopped) return;
    void run().finally(() => {
      if (!stopped) timer = setTimeout(tick, opts.pollMs);
    });
  };
  timer = setTimeout(tick, 0);

  return {
    kick: () => void run(),
    drain: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await deliverer.close();
    },
  };
}
