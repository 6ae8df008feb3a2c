// The follow-up worker (SPEC §11): on every instance, every REMINDER_INTERVAL, takes due events
// (FollowUpQueue, claimed like outbox rows) in batches of REMINDER_BATCH_SIZE and hands each to
// the domain's step (reminders, the deadline's summary, an automatic booking). The schedule
// lives in the events themselves, so it survives restarts.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { repeat, type Repeating } from './repeat.js';
import type { FollowUpQueue } from './ports.js';

export interface FollowUpWorkerSettings {
  intervalMs: number;
  batchSize: number;
  claimMs: number;
}

export interface FollowUpPass {
  events: number;
  failed: number;
}

type Log = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** A due time already past when read (taken elsewhere, its claim about to run out): not a busy loop. */
const MIN_WAIT_MS = 100;

export function startFollowUps(queue: FollowUpQueue, handle: (eventId: number) => Promise<unknown>, s: FollowUpWorkerSettings, now: () => Date, log?: Log): Repeating<FollowUpPass> {
  // Looks again when the soonest event is due, at least every interval (another instance's
  // changes may bring one forward).
  let waitMs = s.intervalMs;
  async function pass(): Promise<FollowUpPass> {
    waitMs = s.intervalMs;
    const done: FollowUpPass = { events: 0, failed: 0 };
    for (;;) {
      const ids = await queue.claimDue(s.batchSize, s.claimMs);
      for (const id of ids) {
        try {
          await handle(id);
          done.events += 1;
        } catch (err) {
          // Left taken: due again when the claim runs out.
          done.failed += 1;
          log?.error({ err, eventId: id }, 'follow-up: event failed');
        }
      }
      if (ids.length < s.batchSize || loop.stopped) break;
      // Requests waiting for the database (SQLite: its one writer) go first.
      await nextTurn();
    }
    const next = await queue.nextDue();
    if (next) waitMs = Math.min(s.intervalMs, Math.max(MIN_WAIT_MS, next.getTime() - now().getTime()));
    if (done.events || done.failed) log?.info({ job: 'follow-up', ...done }, 'follow-up: pass ended');
    return done;
  }
  const loop: Repeating<FollowUpPass> = repeat<FollowUpPass>({
    pass,
    combine: (a, b) => ({ events: a.events + b.events, failed: a.failed + b.failed }),
    failed: (err) => {
      log?.error({ err, job: 'follow-up' }, 'follow-up: pass failed');
      return { events: 0, failed: 0 };
    },
    waitMs: () => waitMs,
  });
  return loop;
}
