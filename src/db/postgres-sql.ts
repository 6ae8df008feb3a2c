// The raw SQL the PostgreSQL path needs where Prisma has no query for it: a row lock with a
// bounded wait, and the JSON edit that scrubs secrets from many delivered outbox rows in one
// statement. Only called when the provider is PostgreSQL; test/integration/db runs them there.
import type { Db } from './client.js';

/** The client handed to an interactive transaction. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Locks event `id` for the rest of `tx`, waiting at most `lockTimeoutMs` for it. */
export async function lockEvent(tx: Tx, id: number, lockTimeoutMs: number): Promise<void> {
  // SET cannot take a bind parameter; the value is a validated integer.
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
  await tx.$queryRaw`SELECT id FROM "Event" WHERE id = ${id} FOR UPDATE`;
}

/** Marks outbox rows sent and drops the sealed tokens from their payloads (they are no longer needed). */
export function markSentStatement(db: Db, ids: number[], at: Date) {
  return db.$executeRaw`UPDATE "OutboxMessage" SET status = 'sent', "sentAt" = ${at}, attempts = attempts + 1, "lockedBy" = NULL,
    "lockedUntil" = NULL, "lastError" = NULL, payload = (payload::jsonb - 'sealedToken' - 'sealedOrganizerToken')::text WHERE id = ANY(${ids}::int[])`;
}
