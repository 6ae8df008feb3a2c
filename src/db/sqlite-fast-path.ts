// Hot request paths on SQLite through better-sqlite3 prepared statements instead of Prisma.
// Measured here (bench/api.ts, and a micro-benchmark of the same calls): a Prisma query costs
// ~700 µs awaited alone and ~180 µs under concurrency, a prepared statement ~10 µs; a detail
// GET needs three of them. Only simple single-row reads and single-row inserts live here;
// everything else stays in Prisma. Reads run on their own connection (WAL readers never wait
// for the writer); the insert runs inside the serial queue, so it never meets an open Prisma
// transaction on the other connection (which would make this synchronous call wait on it).
import BetterSqlite3 from 'better-sqlite3';
import type { EventRow, LogRow } from './rows.js';
import type { ApiKeyRecord, EventTokenRecord, MailCountQuery, UserRecord } from '../domain/ports.js';
import type { KeysetPage, LatestPage } from '../domain/paging.js';
import { transactionRunner, type RunInTransaction } from './write-batch.js';
import { ALL_EVENTS_PAGE, LOG_LATEST, LOG_PAGE, VISIBLE_EVENTS_PAGE } from './sqlite-page-sql.js';

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
  apiKey(hash: string): ApiKeyRecord | null;
  eventToken(hash: string): EventTokenRecord | null;
  insertLog(row: LogRowData): void;
  eventsVisibleTo(userId: number, all: boolean, page: KeysetPage): EventRow[];
  /** An event's log entries, oldest first past `after` or newest first before `before`. */
  logPage(eventId: number, page: KeysetPage): LogRow[];
  logLatest(eventId: number, page: LatestPage): LogRow[];
  /** Ids for the addresses, creating inactive users for unknown ones (callers hold the serial queue). */
  ensureUsers(emails: string[], now: Date): Map<string, number>;
  /** Outbox rows delivered: one statement for the batch, secrets scrubbed, DELIVERED logged. */
  markSent(ids: number[], logs: LogRowData[], now: Date): void;
  /** Takes up to `limit` due outbox rows for `tag` in one statement (see OutboxStore.claim). */
  claimOutbox(tag: string, limit: number, now: Date, lockedUntil: Date): ClaimedOutboxRow[];
  /** Inbound mail and mail history: the per-message queries of the inbound door. */
  inboundByKey(key: string): number | null;
  unprocessedInbound(limit: number, afterId: number): number[];
  /** Stores several messages in one commit; ids in input order, null for a known key. Not yet durable: see wal-sync.ts. */
  insertInbound(rows: InboundInsert[]): (number | null)[];
  inbound(id: number): { id: number; source: string; mailFrom: string | null; rcptTo: string; raw: Buffer; status: string } | null;
  /** Records an inbound message's outcome; false when it was processed already (its status no longer 'received'). */
  finishInbound(id: number, status: string, reason: string | null, eventId: number | null, now: Date): boolean;
  mailForToken(tokenHash: string): { eventId: number | null; payload: string } | null;
  mailsByMessageIds(ids: string[]): { eventId: number | null; recipient: string; messageId: string }[];
  countMailSince(recipient: string, kind: string, since: Date): number;
  /** MailCountQuery about event `eventId` (the same queries as db/mail-counts.ts). */
  countMail(eventId: number, query: MailCountQuery): number;
  /** Whole event writes as one SQLite transaction (callers hold the serial queue). */
  createEvent(input: NewEventData): number;
  updateEvent(id: number, expectedVersion: number, set: EventSet, rows: ChildRows, now: Date): boolean;
  /** One transaction for all the writes, each in its own savepoint (see write-batch.ts). */
  runInTransaction: RunInTransaction;
  close(): void;
}

export interface ClaimedOutboxRow { id: number; eventId: number | null; kind: string; recipient: string; messageId: string; payload: string; attempts: number; createdAt: string }
export interface InboundInsert { dedupeKey: string; source: string; mailFrom: string | null; rcptTo: string; raw: Buffer; now: Date }
export interface LogRowData { eventId: number; when: Date; occurrence: string; effector: string | null; slots: string; data: string }
export interface NewEventData { title: string; ownerId: number; parties: string; slots: string; partyUserIds: number[]; log: Omit<LogRowData, 'eventId'>; now: Date }
export interface EventSet { title?: string; slots?: string; status?: string; answers?: string; inviteSequence?: number; invitedAt?: Date }
export interface ChildRows {
  logs: Omit<LogRowData, 'eventId'>[];
  tokens: { hash: string; email: string; expiresAt: Date; scope?: string }[];
  outbox: { eventId: number | null; kind: string; recipient: string; messageId: string; payload: string; tokenHash: string | null }[];
}

export function openSqliteFastPath(file: string): SqliteFastPath {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  // Per connection: in WAL mode NORMAL survives an application crash and skips the fsync per
  // commit (the profile's largest item). Inbound mail is made durable by a WAL sync (wal-sync.ts).
  db.pragma('synchronous = NORMAL');
  const userCols = 'u.id, u.email, u.isStaff, u.isActive, u.passwordHash, u.credentialVersion';
  const q = {
    event: db.prepare(`SELECT e.*, u.email AS ownerEmail FROM "Event" e JOIN "User" u ON u.id = e.ownerId WHERE e.id = ?`),
    userById: db.prepare(`SELECT ${userCols} FROM "User" u WHERE u.id = ?`),
    apiKey: db.prepare(`SELECT ${userCols}, t.expiresAt AS keyExpiresAt, t.credentialVersion AS keyVersion
      FROM "ApiToken" t JOIN "User" u ON u.id = t.userId WHERE t.keyHash = ?`),
    eventToken: db.prepare(`SELECT id, eventId, email, expiresAt, scope FROM "EventToken" WHERE hash = ?`),
    insertLog: db.prepare(`INSERT INTO "LogEntry" (eventId, "when", occurrence, effector, slots, data) VALUES (?, ?, ?, ?, ?, ?)`),
    allEvents: db.prepare(ALL_EVENTS_PAGE),
    visibleEvents: db.prepare(VISIBLE_EVENTS_PAGE),
    logPage: db.prepare(LOG_PAGE).raw(),
    logLatest: db.prepare(LOG_LATEST).raw(),
    userByEmail: db.prepare(`SELECT id FROM "User" WHERE email = ?`),
    insertUser: db.prepare(`INSERT OR IGNORE INTO "User" (email, createdAt) VALUES (?, ?)`),
    inboundByKey: db.prepare(`SELECT id FROM "InboundMessage" WHERE dedupeKey = ?`),
    insertInbound: db.prepare(`INSERT INTO "InboundMessage" (dedupeKey, source, mailFrom, rcptTo, raw, status, createdAt) VALUES (?, ?, ?, ?, ?, 'received', ?)`),
    inbound: db.prepare(`SELECT id, source, mailFrom, rcptTo, raw, status FROM "InboundMessage" WHERE id = ?`),
    finishInbound: db.prepare(`UPDATE "InboundMessage" SET status = ?, reason = ?, eventId = ?, processedAt = ? WHERE id = ? AND status = 'received'`),
    mailForToken: db.prepare(`SELECT eventId, payload FROM "OutboxMessage" WHERE tokenHash = ? LIMIT 1`),
    countMailSince: db.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE recipient = ? AND kind = ? AND createdAt >= ?`),
    countEventMailSince: db.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE recipient = ? AND kind = ? AND createdAt >= ? AND eventId = ?`),
    countUnsent: db.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE eventId = ? AND status IN ('pending', 'sending')`),
    countNotices: db.prepare(`SELECT count(DISTINCT "when") AS n FROM "LogEntry" WHERE eventId = ? AND occurrence = 'NOTIFY' AND effector = ? AND "when" >= ?`),
    insertEvent: db.prepare(`INSERT INTO "Event" (title, ownerId, parties, slots, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)`),
    insertMember: db.prepare(`INSERT INTO "EventParty" (eventId, userId) VALUES (?, ?)`),
    insertToken: db.prepare(`INSERT INTO "EventToken" (hash, eventId, email, expiresAt, createdAt, scope) VALUES (?, ?, ?, ?, ?, ?)`),
    insertOutbox: db.prepare(`INSERT INTO "OutboxMessage" (eventId, kind, recipient, messageId, tokenHash, payload, status, attempts, nextAttemptAt, createdAt)
      VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`),
  };
  // Statements whose text varies (IN lists, SET columns) are prepared once per shape.
  const shapes = new Map<string, BetterSqlite3.Statement>();
  const cached = (sql: string) => {
    let st = shapes.get(sql);
    if (!st) {
      if (shapes.size > 500) shapes.clear();
      st = db.prepare(sql);
      shapes.set(sql, st);
    }
    return st;
  };
  const insertInbound = db.transaction((rows: InboundInsert[]) => rows.map((r) => {
    if (q.inboundByKey.get(r.dedupeKey)) return null;
    return Number(q.insertInbound.run(r.dedupeKey, r.source, r.mailFrom, r.rcptTo, r.raw, toSqliteTime(r.now)).lastInsertRowid);
  }));
  const insertLog = (eventId: number, row: Omit<LogRowData, 'eventId'>) =>
    q.insertLog.run(eventId, toSqliteTime(row.when), row.occurrence, row.effector, row.slots, row.data);
  const createEvent = db.transaction((input: NewEventData): number => {
    const t = toSqliteTime(input.now);
    const id = Number(q.insertEvent.run(input.title, input.ownerId, input.parties, input.slots, t, t).lastInsertRowid);
    for (const userId of input.partyUserIds) q.insertMember.run(id, userId);
    insertLog(id, input.log);
    return id;
  });
  const updateEvent = db.transaction((id: number, expectedVersion: number, set: EventSet, rows: ChildRows, now: Date): boolean => {
    const cols: string[] = ['version = version + 1', 'updatedAt = ?'];
    const args: unknown[] = [toSqliteTime(now)];
    const put = (col: string, v: unknown) => { cols.push(`"${col}" = ?`); args.push(v); };
    if (set.title !== undefined) put('title', set.title);
    if (set.slots !== undefined) put('slots', set.slots);
    if (set.status !== undefined) put('status', set.status);
    if (set.answers !== undefined) put('answers', set.answers);
    if (set.inviteSequence !== undefined) put('inviteSequence', set.inviteSequence);
    if (set.invitedAt !== undefined) put('invitedAt', toSqliteTime(set.invitedAt));
    const changed = cached(`UPDATE "Event" SET ${cols.join(', ')} WHERE id = ? AND version = ?`).run(...args, id, expectedVersion).changes;
    if (changed !== 1) return false;
    const t = toSqliteTime(now);
    for (const l of rows.logs) insertLog(id, l);
    for (const k of rows.tokens) q.insertToken.run(k.hash, id, k.email, toSqliteTime(k.expiresAt), t, k.scope ?? 'full');
    for (const o of rows.outbox) q.insertOutbox.run(o.eventId, o.kind, o.recipient, o.messageId, o.tokenHash, o.payload, t, t);
    return true;
  });
  const runInTransaction = transactionRunner(db);
  type RawEvent = Omit<EventRow, 'owner' | 'invitedAt' | 'createdAt' | 'updatedAt'> & { ownerEmail: string; invitedAt: string | null; createdAt: string; updatedAt: string };
  const toRow = (r: RawEvent): EventRow =>
    ({ ...r, invitedAt: fromSqliteTime(r.invitedAt), createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt), owner: { email: r.ownerEmail } });
  // Log pages are read as arrays, in the column order of sqlite-page-sql.ts: for a page of 100 rows,
  // building the objects here took ~60% of the time of better-sqlite3's row objects plus a copy.
  const toLogRows = (rows: unknown[]) => (rows as [number, number, string, string, string | null, string, string][])
    .map(([id, eventId, when, occurrence, effector, slots, data]) => ({ id, eventId, when: new Date(when), occurrence, effector, slots, data }));
  const ensureUsers = db.transaction((emails: string[], now: Date) => {
    const ids = new Map<string, number>();
    for (const email of emails) {
      q.insertUser.run(email, toSqliteTime(now));
      ids.set(email, (q.userByEmail.get(email) as { id: number }).id);
    }
    return ids;
  });
  // One statement, so atomic on its own: due rows (or rows whose claim ran out) become ours.
  const claimOutbox = db.prepare(`UPDATE "OutboxMessage" SET status = 'sending', lockedBy = ?, lockedUntil = ?
    WHERE id IN (SELECT id FROM "OutboxMessage" WHERE (status = 'pending' AND nextAttemptAt <= ?) OR (status = 'sending' AND lockedUntil < ?)
      ORDER BY id LIMIT ?)
    RETURNING id, eventId, kind, recipient, messageId, payload, attempts, createdAt`);
  const markSent = db.transaction((ids: number[], logs: LogRowData[], now: Date) => {
    const t = toSqliteTime(now);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      cached(`UPDATE "OutboxMessage" SET status = 'sent', sentAt = ?, attempts = attempts + 1, lockedBy = NULL, lockedUntil = NULL,
        lastError = NULL, payload = json_remove(payload, '$.sealedToken', '$.sealedOrganizerToken') WHERE id IN (${chunk.map(() => '?').join(',')})`).run(t, ...chunk);
    }
    for (const l of logs) insertLog(l.eventId, l);
  });
  return {
    unprocessedInbound: (limit, afterId) =>
      (cached(`SELECT id FROM "InboundMessage" WHERE status = 'received' AND id > ? ORDER BY id LIMIT ?`).all(afterId, limit) as { id: number }[]).map((r) => r.id),
    inboundByKey: (key) => (q.inboundByKey.get(key) as { id: number } | undefined)?.id ?? null,
    // 250 OK waits for this commit and for a WAL sync after it (see wal-sync.ts).
    insertInbound: (rows) => insertInbound(rows),
    inbound: (id) => (q.inbound.get(id) as ReturnType<SqliteFastPath['inbound']> | undefined) ?? null,
    finishInbound: (id, status, reason, eventId, now) => q.finishInbound.run(status, reason?.slice(0, 1000) ?? null, eventId, toSqliteTime(now), id).changes === 1,
    mailForToken: (hash) => (q.mailForToken.get(hash) as { eventId: number | null; payload: string } | undefined) ?? null,
    mailsByMessageIds: (ids) => ids.length
      ? cached(`SELECT eventId, recipient, messageId FROM "OutboxMessage" WHERE messageId IN (${ids.map(() => '?').join(',')})`).all(...ids) as { eventId: number | null; recipient: string; messageId: string }[]
      : [],
    countMailSince: (recipient, kind, since) => (q.countMailSince.get(recipient, kind, toSqliteTime(since)) as { n: number }).n,
    countMail(eventId, c) {
      const row = c.of === 'pendingOutbox' ? q.countUnsent.get(eventId)
        : c.of === 'notices' ? q.countNotices.get(eventId, c.effector, toSqliteTime(c.since))
          : c.anyEvent ? q.countMailSince.get(c.recipient, c.kind, toSqliteTime(c.since))
            : q.countEventMailSince.get(c.recipient, c.kind, toSqliteTime(c.since), eventId);
      return (row as { n: number }).n;
    },
    markSent: (ids, logs, now) => markSent(ids, logs, now),
    claimOutbox: (tag, limit, now, lockedUntil) => {
      const t = toSqliteTime(now);
      const rows = claimOutbox.all(tag, toSqliteTime(lockedUntil), t, t, limit) as ClaimedOutboxRow[];
      // RETURNING gives no order guarantee; oldest first, as the portable path does.
      return rows.sort((a, b) => a.id - b.id);
    },
    event(id) {
      const r = q.event.get(id) as RawEvent | undefined;
      return r ? toRow(r) : null;
    },
    eventsVisibleTo: (userId, all, { limit, after = 0 }) =>
      ((all ? q.allEvents.all({ after, limit }) : q.visibleEvents.all({ user: userId, after, limit })) as RawEvent[]).map(toRow),
    logPage: (eventId, { limit, after = 0 }) => toLogRows(q.logPage.all({ event: eventId, after, limit })),
    logLatest: (eventId, { limit, before = Number.MAX_SAFE_INTEGER }) => toLogRows(q.logLatest.all({ event: eventId, before, limit })),
    ensureUsers: (emails, now) => ensureUsers(emails, now),
    userById: (id) => toUser(q.userById.get(id) as UserRow | undefined),
    apiKey(hash) {
      const r = q.apiKey.get(hash) as (UserRow & { keyExpiresAt: string; keyVersion: number }) | undefined;
      return r ? { user: toUser(r)!, expiresAt: new Date(r.keyExpiresAt), credentialVersion: r.keyVersion } : null;
    },
    eventToken(hash) {
      const r = q.eventToken.get(hash) as { id: number; eventId: number; email: string; expiresAt: string; scope: string } | undefined;
      return r ? { ...r, expiresAt: new Date(r.expiresAt), scope: r.scope === 'rsvp' ? 'rsvp' : 'full' } : null;
    },
    insertLog: (row) => void insertLog(row.eventId, row),
    createEvent: (input) => createEvent(input),
    updateEvent: (id, expectedVersion, set, rows, now) => updateEvent(id, expectedVersion, set, rows, now),
    runInTransaction: (writes) => runInTransaction(writes),
    close: () => db.close(),
  };
}
