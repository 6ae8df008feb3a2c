// Retention (SPEC §13) on both databases: each call is one statement over at most `limit`
// rows, a short write, so a purge never holds SQLite's single writer (nor, SQLite's driver being
// synchronous, the event loop) for long; the scheduler yields between batches.
// Raw SQL, the same text on both databases (Prisma binds the values; the retention tests run it
// on both; each statement's search uses the index added for it in migration 0005, the drafts'
// in 0013): the ORM has no NOT EXISTS over a table without a relation, and its portable form,
// ids first and then `id IN (…500 ids)`, took 12–45 ms per 500 tokens here against ~2 ms for
// one statement (bench:retention; a batch of 500 inbound rows costs ~50 ms either way, SQLite's
// own work).
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import type { RetentionStore } from '../scheduler/ports.js';

const NO_BYTES = new Uint8Array(0);

export function createRetentionStore(db: Db, serial: Serial, now: () => Date): RetentionStore {
  return {
    // 'received' rows are not processed yet: their raw message is all there is of them.
    reduceInbound: (before, limit) => serial(() => db.$executeRaw`UPDATE "InboundMessage" SET raw = ${NO_BYTES}, "reducedAt" = ${now()}
      WHERE id IN (SELECT id FROM "InboundMessage" WHERE "reducedAt" IS NULL AND "createdAt" < ${before} AND status <> 'received' LIMIT ${limit})`),
    // Mail that went out and did not bounce (outbox-store.ts: sent, delivered). Bounced rows stay:
    // the follow-up counts them to remind no address that bounced (SPEC §11; mail-counts.ts,
    // sqlite-fast-path.ts countBounced), and they are few.
    purgeSentOutbox: (before, at, limit) => serial(() => db.$executeRaw`DELETE FROM "OutboxMessage" WHERE id IN (
      SELECT o.id FROM "OutboxMessage" o WHERE o.status IN ('sent', 'delivered') AND o."sentAt" < ${before}
        AND NOT EXISTS (SELECT 1 FROM "EventToken" t WHERE t.hash = o."tokenHash" AND t."expiresAt" > ${at})
      LIMIT ${limit})`),
    purgeEventTokens: (before, limit) => serial(() => db.$executeRaw`DELETE FROM "EventToken"
      WHERE id IN (SELECT id FROM "EventToken" WHERE "expiresAt" < ${before} LIMIT ${limit})`),
    purgeApiKeys: (before, limit) => serial(() => db.$executeRaw`DELETE FROM "ApiToken"
      WHERE id IN (SELECT id FROM "ApiToken" WHERE "expiresAt" < ${before} LIMIT ${limit})`),
    // Past expiresAt no draft can be sent or changed (change-draft.ts isExpired, even one whose
    // status still reads 'open'): the search needs no status. Drafts still inside the daily
    // cap's window (ORGANIZE_PER_DAY counts them) stay, whatever the retention settings.
    purgeDrafts: (before, startedBefore, limit) => serial(() => db.$executeRaw`DELETE FROM "Draft"
      WHERE id IN (SELECT id FROM "Draft" WHERE "expiresAt" < ${before} AND "createdAt" < ${startedBefore} LIMIT ${limit})`),
  };
}
