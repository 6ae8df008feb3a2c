// Due follow-ups (scheduler/ports.ts FollowUpQueue): Event.followUpAt as an outbox row's due
// time. Candidates by the index Event(followUpAt), then each taken by a conditional update on
// the due time read: of several instances reading the same event, one update matches. Taking
// an event is not a change of it: its updatedAt is written back as it was (Prisma would stamp it).
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import type { FollowUpQueue } from '../scheduler/ports.js';

export function createFollowUpQueue(db: Db, serial: Serial, now: () => Date): FollowUpQueue {
  return {
    claimDue: (limit, claimMs) => serial(async () => {
      const at = now();
      const due = await db.event.findMany({
        where: { followUpAt: { lte: at } },
        select: { id: true, followUpAt: true, updatedAt: true },
        orderBy: { followUpAt: 'asc' },
        take: limit,
      });
      const until = new Date(at.getTime() + claimMs);
      const taken: number[] = [];
      for (const row of due) {
        const { count } = await db.event.updateMany({ where: { id: row.id, followUpAt: row.followUpAt }, data: { followUpAt: until, updatedAt: row.updatedAt } });
        if (count === 1) taken.push(row.id);
      }
      return taken;
    }),
    nextDue: async () => (await db.event.findFirst({
      where: { followUpAt: { not: null } }, select: { followUpAt: true }, orderBy: { followUpAt: 'asc' },
    }))?.followUpAt ?? null,
  };
}
