// A job run once per interval for all instances together (retention now; reminders and
// deadlines can follow). Its due time and claim live in the database (JobSchedule), so a
// restart keeps the schedule and two instances never run it at once; each instance looks again
// when the job is next due (or another instance's claim ends), at least once per interval.
import { randomUUID } from 'node:crypto';
import { repeat } from './repeat.js';
import type { JobSchedule } from './ports.js';

export interface JobRun {
  /** Asked between batches: renews the claim; false when the run should end now (stopping, or the claim was lost). */
  keepGoing(): Promise<boolean>;
}

/** `complete: false`: the run ended early; the job stays due and resumes next time. */
export interface JobResult {
  complete: boolean;
}

export interface ScheduledJobOptions<T extends JobResult> {
  name: string;
  everyMs: number;
  /** A run whose instance died is taken over this long after its last renewal. */
  claimMs: number;
  now: () => Date;
  run(ctx: JobRun): Promise<T>;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface ScheduledJob<T> {
  /** Runs the job now if it is due and nobody runs it: the run's result, or null (not due, run elsewhere, or failed). */
  runNow(): Promise<T | null>;
  /** No new run; a running one ends after its current batch. */
  stop(): Promise<void>;
}

/** A due time already past when read (a claim that ran out): look again shortly, not in a busy loop. */
const MIN_WAIT_MS = 1000;

export function startScheduledJob<T extends JobResult>(schedule: JobSchedule, o: ScheduledJobOptions<T>): ScheduledJob<T> {
  const holder = randomUUID();
  const after = (ms: number) => new Date(o.now().getTime() + ms);
  let nextAt = o.now();

  async function attempt(): Promise<T | null> {
    const claim = await schedule.claim(o.name, holder, o.claimMs);
    if (!claim.claimed) {
      nextAt = claim.retryAt;
      return null;
    }
    let result: T | null = null;
    try {
      result = await o.run({ keepGoing: async () => !loop.stopped && (await schedule.renew(o.name, holder, o.claimMs)) });
      o.log?.info({ job: o.name, ...result }, `${o.name}: run ended`);
      return result;
    } finally {
      // Cut short: still due, so it resumes at once (here, elsewhere, or at the next start).
      nextAt = result && !result.complete ? o.now() : after(o.everyMs);
      await schedule.finish(o.name, holder, nextAt);
    }
  }

  const loop = repeat<T | null>({
    pass: attempt,
    combine: (a, b) => b ?? a,
    failed: (err) => {
      o.log?.error({ err, job: o.name }, `${o.name}: run failed`);
      nextAt = after(o.everyMs);
      return null;
    },
    waitMs: () => Math.min(Math.max(nextAt.getTime() - o.now().getTime(), MIN_WAIT_MS), o.everyMs),
  });

  return { runNow: () => loop.run(), stop: () => loop.stop() };
}
