// Retention (SPEC §13) on both databases: each call is one bounded batch, a short write, so a
// purge never holds SQLite's single writer for long (the scheduler yields between batches).
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import type { RetentionStore } from '../scheduler/ports.js';

/** Two portable statements: up to `limit` ids, then the write on those rows (repeating its condition). */
async function batch(pick: () => Promise<{ id: number }[]>, write: (ids: number[]) => Promise<{ count: number }>): Promise<number> {
  const ids = (await pick()).map((r) => r.id);
  return ids.length ? (await write(ids)).count : 0;
}

export function createRetentionStore(db: Db, serial: Serial, now: () => Date): RetentionStore {
  return {
    // 'received' rows are not processed yet: their raw message is all there is of them.
    reduceInbound: (before, limit) => serial(() => {
      const due = { reducedAt: null, createdAt: { lt: before }, status: { not: 'received' } };
      return batch(
        () => db.inboundMessage.findMany({ where: due, select: { id: true }, take: limit }),
        (ids) => db.inboundMessage.updateMany({ where: { ...due, id: { in: ids } }, data: { raw: new Uint8Array(0), reducedAt: now() } }),
      );
    }),
    // Raw SQL because the ORM has no NOT EXISTS over a table without a relation; the same text
    // runs on both databases (Prisma binds the values), and the retention tests run it on both.
    // Statuses: those whose mail went out (outbox-store.ts: sent, delivered, bounced).
    purgeSentOutbox: (before, at, limit) => serial(() => db.$executeRaw`DELETE FROM "OutboxMessage" WHERE id IN (
      SELECT o.id FROM "OutboxMessage" o WHERE o.status IN ('sent', 'delivered', 'bounced') AND o."sentAt" < ${before}
        AND NOT EXISTS (SELECT 1 FROM "EventToken" t WHERE t.hash = o."tokenHash" AND t."expiresAt" > ${at})
      LIMIT ${limit})`),
    purgeEventTokens: (before, limit) => serial(() => batch(
      () => db.eventToken.findMany({ where: { expiresAt: { lt: before } }, select: { id: true }, take: limit }),
      (ids) => db.eventToken.deleteMany({ where: { id: { in: ids }, expiresAt: { lt: before } } }),
    )),
    purgeApiKeys: (before, limit) => serial(() => batch(
      () => db.apiToken.findMany({ where: { expiresAt: { lt: before } }, select: { id: true }, take: limit }),
      (ids) => db.apiToken.deleteMany({ where: { id: { in: ids }, expiresAt: { lt: before } } }),
    )),
  };
}
