// Hot request paths on SQLite through better-sqlite3 prepared statements instead of Prisma.
// Measured here (bench/api.ts, and a micro-benchmark of the same calls): a Prisma query costs
// ~700 µs awaited alone and ~180 µs under concurrency, a prepared statement ~10 µs; a detail
// GET needs three of them. Only simple single-row reads and single-row inserts live here;
// everything else stays in Prisma. Reads run on their own connection (WAL readers never wait
// for the writer); the insert runs inside the serial queue, so it never meets an open Prisma
// transaction on the other connection (which would make this synchronous call wait on it).
import BetterSqlite3 from 'better-sqlite3';
import type { EventRow } from './rows.js';
import type { UserRecord } from '../domain/ports.js';

/** Prisma's SQLite adapter stores DateTime as ISO 8601 text with an explicit offset. */
export const toSqliteTime = (d: Date) => d.toISOString().replace('Z', '+00:00');
const fromSqliteTime = (s: string | null) => (s === null ? null : new Date(s));

interface UserRow { id: number; email: string; isStaff: number; isActive: number; passwordHash: string | null; credentialVersion: number }

function toUser(r: UserRow | undefined): UserRecord | null {
  return r ? { id: r.id, email: r.email, isStaff: !!r.isStaff, isActive: !!r.isActive, passwordHash: r.passwordHash, credentialVersion: r.credentialVersion } : null;
}

export interface SqliteFastPath {
  event(id: number): EventRow | null;
  userById(id: number): UserRecord | null;
  userByApiKeyHash(hash: string): UserRecord | null;
  eventToken(hash: string): { id: number; eventId: number; email: string; expiresAt: Date } | null;
  insertLog(row: { eventId: number; when: Date; occurrence: string; effector: string | null; slots: string; data: string }): void;
  close(): void;
}

export function openSqliteFastPath(file: string): SqliteFastPath {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  const userCols = 'u.id, u.email, u.isStaff, u.isActive, u.passwordHash, u.credentialVersion';
  const q = {
    event: db.prepare(`SELECT e.*, u.email AS ownerEmail FROM "Event" e JOIN "User" u ON u.id = e.ownerId WHERE e.id = ?`),
    userById: db.prepare(`SELECT ${userCols} FROM "User" u WHERE u.id = ?`),
    userByKey: db.prepare(`SELECT ${userCols} FROM "ApiToken" t JOIN "User" u ON u.id = t.userId WHERE t.keyHash = ?`),
    eventToken: db.prepare(`SELECT id, eventId, email, expiresAt FROM "EventToken" WHERE hash = ?`),
    insertLog: db.prepare(`INSERT INTO "LogEntry" (eventId, "when", occurrence, effector, slots, data) VALUES (?, ?, ?, ?, ?, ?)`),
  };
  return {
    event(id) {
      const r = q.event.get(id) as (Omit<EventRow, 'owner' | 'invitedAt' | 'createdAt' | 'updatedAt'> & { ownerEmail: string; invitedAt: string | null; createdAt: string; updatedAt: string }) | undefined;
      if (!r) return null;
      return { ...r, invitedAt: fromSqliteTime(r.invitedAt), createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt), owner: { email: r.ownerEmail } };
    },
    userById: (id) => toUser(q.userById.get(id) as UserRow | undefined),
    userByApiKeyHash: (hash) => toUser(q.userByKey.get(hash) as UserRow | undefined),
    eventToken(hash) {
      const r = q.eventToken.get(hash) as { id: number; eventId: number; email: string; expiresAt: string } | undefined;
      return r ? { ...r, expiresAt: new Date(r.expiresAt) } : null;
    },
    insertLog(row) {
      q.insertLog.run(row.eventId, toSqliteTime(row.when), row.occurrence, row.effector, row.slots, row.data);
    },
    close: () => db.close(),
  };
}
