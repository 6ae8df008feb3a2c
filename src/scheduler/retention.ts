// Retention (SPEC §13) as a scheduled job: raw inbound mail reduced to its metadata after
// INBOUND_RETENTION; sent outbox rows (never bounced ones) deleted after OUTBOX_RETENTION; event
// tokens and API keys deleted TOKEN_RETENTION after they expired, and so are drafts (their
// reply+<token> address expires with them, at expiresAt, whatever became of them). In batches of
// RETENTION_BATCH_SIZE rows, each a short write, yielding to requests between them.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../config/index.js';
import type { JobSchedule, RetentionStore } from './ports.js';
import { ORGANIZE_CAP_WINDOW_MS } from '../domain/drafts/start-draft.js';
import { startScheduledJob, type JobResult, type JobRun, type ScheduledJob } from './scheduled-job.js';

export interface RetentionSettings {
  inboundMs: number;
  outboxMs: number;
  tokenMs: number;
  batchSize: number;
}

export interface SweepReport {
  rows: number;
  batches: number;
}

const SWEEPS = ['inbound', 'outbox', 'eventTokens', 'apiKeys', 'drafts'] as const;
export type RetentionReport = JobResult & Record<(typeof SWEEPS)[number], SweepReport>;

/** One retention run: every sweep batch by batch until a batch finds fewer rows than its size. */
export function retentionRun(store: RetentionStore, s: RetentionSettings, now: () => Date) {
  return async (ctx: JobRun): Promise<RetentionReport> => {
    const at = now();
    const ago = (ms: number) => new Date(at.getTime() - ms);
    const sweep: Record<(typeof SWEEPS)[number], (limit: number) => Promise<number>> = {
      inbound: (limit) => store.reduceInbound(ago(s.inboundMs), limit),
      outbox: (limit) => store.purgeSentOutbox(ago(s.outboxMs), at, limit),
      eventTokens: (limit) => store.purgeEventTokens(ago(s.tokenMs), limit),
      apiKeys: (limit) => store.purgeApiKeys(ago(s.tokenMs), limit),
      drafts: (limit) => store.purgeDrafts(ago(s.tokenMs), ago(ORGANIZE_CAP_WINDOW_MS), limit),
    };
    const report = { complete: true, ...Object.fromEntries(SWEEPS.map((name) => [name, { rows: 0, batches: 0 }])) } as RetentionReport;
    for (const name of SWEEPS) {
      const r = report[name];
      for (;;) {
        const changed = await sweep[name](s.batchSize);
        r.rows += changed;
        r.batches += 1;
        if (changed < s.batchSize) break;
        // Requests waiting for the database (SQLite: its one writer) go first.
        await nextTurn();
        if (!(await ctx.keepGoing())) return { ...report, complete: false };
      }
    }
    return report;
  };
}

export function retentionSettings(config: Config): RetentionSettings {
  // A sent row stays while its token lives (a reply is read against its list), so the sweep
  // starts past the tokens' lifetime too: EVENT_TOKEN_TTL_DAYS may exceed OUTBOX_RETENTION, and
  // the sweep's range would then hold every mail of that gap, read again at each run and kept.
  const outboxMs = Math.max(config.OUTBOX_RETENTION, config.EVENT_TOKEN_TTL_DAYS * 86_400_000);
  return { inboundMs: config.INBOUND_RETENTION, outboxMs, tokenMs: config.TOKEN_RETENTION, batchSize: config.RETENTION_BATCH_SIZE };
}

type Log = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

export function startRetention(config: Config, stores: { schedule: JobSchedule; retention: RetentionStore }, now: () => Date, log?: Log): ScheduledJob<RetentionReport> {
  const settings = retentionSettings(config);
  return startScheduledJob(stores.schedule, {
    name: 'retention', everyMs: config.RETENTION_INTERVAL, claimMs: config.RETENTION_CLAIM, now, run: retentionRun(stores.retention, settings, now),
    ...(log && { log }),
  });
}
