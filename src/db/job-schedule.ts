// Due times and claims of scheduled jobs (src/scheduler), one ScheduledJob row per job: the
// outbox's approach (a due time in the database, a claim by conditional update that runs out
// if its holder dies) for work that is one run at a time rather than one row at a time.
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { takeRow } from './take-row.js';
import type { JobSchedule } from '../scheduler/ports.js';

const later = (a: Date, b: Date | null) => (b && b > a ? b : a);

export function createJobSchedule(db: Db, serial: Serial, now: () => Date): JobSchedule {
  return {
    claim: (name, holder, claimMs) => serial(async () => {
      const at = now();
      const claimedUntil = new Date(at.getTime() + claimMs);
      const taken = await takeRow(
        () => db.scheduledJob.updateMany({
          where: { name, dueAt: { lte: at }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }] },
          data: { claimedBy: holder, claimedUntil },
        }),
        () => db.scheduledJob.create({ data: { name, dueAt: at, claimedBy: holder, claimedUntil } }),
      );
      if (taken) return { claimed: true };
      const row = await db.scheduledJob.findUnique({ where: { name }, select: { dueAt: true, claimedUntil: true } });
      return { claimed: false, retryAt: row ? later(row.dueAt, row.claimedUntil) : at };
    }),
    renew: (name, holder, claimMs) => serial(async () => {
      const claimedUntil = new Date(now().getTime() + claimMs);
      return (await db.scheduledJob.updateMany({ where: { name, claimedBy: holder }, data: { claimedUntil } })).count === 1;
    }),
    finish: (name, holder, dueAt) => serial(async () => {
      await db.scheduledJob.updateMany({ where: { name, claimedBy: holder }, data: { dueAt, claimedBy: null, claimedUntil: null } });
    }),
  };
}
