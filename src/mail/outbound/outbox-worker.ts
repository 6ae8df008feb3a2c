// Delivers outbox rows: claim, send in parallel through the deliverer, settle.
// Temporary failures back off exponentially (with jitter); after the last attempt, or on a
// permanent 5xx, the row is failed and the failure is written into the event log.
import type { OutboxRow, OutboxStore, Outcome } from './ports.js';
import type { Deliverer, DeliveryResult } from './deliver.js';
import type { Clock } from '../../domain/ports.js';
import { repeat } from '../../scheduler/repeat.js';

export interface WorkerOptions {
  batchSize: number;
  concurrency: number;
  maxAttempts: number;
  backoffMs: number;
  pollMs: number;
  /** How long a claimed row stays ours before another worker may take it over. */
  lockMs?: number;
  /** The stores' clock: a retry's due time is on the same time line as the claim that reads it. */
  clock: Clock;
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

export function startOutboxWorker(store: OutboxStore, deliverer: Deliverer, opts: WorkerOptions): OutboxWorker {
  const lockMs = opts.lockMs ?? 120_000;

  function outcomeOf(row: OutboxRow, r: DeliveryResult): Outcome {
    const base = { id: row.id, eventId: row.eventId, recipient: row.recipient, messageId: row.messageId, kind: row.kind };
    if (r.ok) return { ...base, result: 'sent', scrubbedPayload: r.scrubbed };
    const attempt = row.attempts + 1;
    const final = r.permanent || attempt >= opts.maxAttempts;
    if (final) opts.log?.error({ outbox: row.id, error: r.error }, 'outbox: delivery failed for good');
    else opts.log?.warn({ outbox: row.id, attempt, error: r.error }, 'outbox: delivery failed, will retry');
    return final
      ? { ...base, result: 'failed', error: r.error, ...(r.scrubbed && { scrubbedPayload: r.scrubbed }) }
      : { ...base, result: 'retry', error: r.error, nextAttemptAt: new Date(opts.clock.now().getTime() + backoffDelay(attempt, opts.backoffMs)) };
  }

  // A pipeline rather than batch by batch (which left the delivery threads idle at every batch
  // boundary): up to `concurrency` deliveries are in flight, the next claim is made while they
  // run (when fewer than that are waiting), and outcomes are settled as they come, grouped by
  // whatever finished while the previous settle ran.
  async function pass(): Promise<number> {
    const waiting: OutboxRow[] = [];
    const inFlight = new Set<Promise<void>>();
    let done: { outcome: Outcome; attempts: number }[] = [];
    let settling: Promise<void> = Promise.resolve();
    let settlingNow = false;
    let claiming: Promise<void> | null = null;
    let exhausted = false;
    let settled = 0;

    // One settle at a time; what finishes meanwhile goes in the next one (group commit).
    const settle = () => {
      if (settlingNow || !done.length) return;
      const group = done;
      done = [];
      settled += group.length;
      settlingNow = true;
      settling = store.settle(group.map((d) => d.outcome), new Map(group.map((d) => [d.outcome.id, d.attempts])))
        .catch((err: unknown) => opts.log?.error({ err }, 'outbox: settling failed (rows are retried when their claim runs out)'))
        .finally(() => {
          settlingNow = false;
          settle();
        });
    };
    const refill = () => {
      if (claiming || exhausted || loop.stopped || waiting.length >= opts.concurrency) return;
      // Not far beyond what is in flight: a claimed row waits here with its claim running out.
      claiming = store.claim(Math.min(opts.batchSize, opts.concurrency * 8), lockMs)
        .then((rows) => {
          if (rows.length === 0) exhausted = true;
          waiting.push(...rows);
        }, (err: unknown) => {
          exhausted = true;
          opts.log?.error({ err }, 'outbox: claim failed');
        })
        .finally(() => {
          claiming = null;
        });
    };

    for (;;) {
      refill();
      while (!loop.stopped && waiting.length && inFlight.size < opts.concurrency) {
        const row = waiting.shift()!;
        const attempt = deliverer.deliver(row).catch((err: unknown): DeliveryResult => ({ ok: false, error: String(err), permanent: false }));
        const delivery: Promise<void> = attempt.then((r) => {
          inFlight.delete(delivery);
          done.push({ outcome: outcomeOf(row, r), attempts: row.attempts });
          settle();
        });
        inFlight.add(delivery);
      }
      if (inFlight.size) await Promise.race([...inFlight, ...(claiming ? [claiming] : [])]);
      else if (claiming) await claiming;
      else break;
    }
    // Claimed but never attempted (stopping): give them back instead of leaving them locked.
    if (waiting.length) await store.release(waiting.splice(0).map((r) => r.id)).catch(() => {});
    settle();
    while (settlingNow) await settling;
    return settled;
  }

  const loop = repeat({
    pass,
    combine: (a, b) => a + b,
    failed: (err) => {
      opts.log?.error({ err }, 'outbox: pass failed');
      return 0;
    },
    waitMs: () => opts.pollMs,
  });

  return {
    kick: () => void loop.run(),
    drain: () => loop.run(),
    async stop() {
      await loop.stop();
      await deliverer.close();
    },
  };
}
