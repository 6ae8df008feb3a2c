// Hot request paths on SQLite through better-sqlite3 prepared statements instead of Prisma.
// A Prisma query costs several hundred µs, a prepared statement about ten (README, Benchmarks);
// a detail GET needs three of them. The SQL is checked against the Prisma schema (sqlite-sql.ts):
// rows written are Prisma's own create types, rows read are typed from its models. Reads run on
// their own connection (WAL readers never wait for the writer). Writes run inside the serial
// queue (callers hold it, or the write batch does), so they never meet an open Prisma
// transaction on the other connection (which would make this synchronous call wait on it).
import BetterSqlite3 from 'better-sqlite3';
import type { EventRow, LogRow } from './rows.js';
import type { ApiKeyRecord, EventTokenRecord, MailCountQuery, UserRecord } from '../domain/ports.js';
import type { DraftClaim } from '../domain/ports.js';
import { draftMovedOn } from './draft-rows.js';
import type { KeysetPage, LatestPage } from '../domain/paging.js';
import { CHECKPOINT_FALLBACK_PAGES } from './wal-checkpoint.js';
import { transactionRunner, type RunInTransaction } from './write-batch.js';
import { columns, decodeRow, encodeValue, sqlOn, type Column, type NewRow, type StoredRow } from './sqlite-sql.js';
import { fromSqliteTime, toSqliteTime } from './sqlite-time.js';
import { ALL_EVENTS_PAGE, LOG_COLUMNS, LOG_LATEST, LOG_PAGE, VISIBLE_EVENTS_PAGE } from './sqlite-page-sql.js';

export interface SqliteFastPath {
  event(id: number): EventRow | null;
  userById(id: number): UserRecord | null;
  apiKey(hash: string): ApiKeyRecord | null;
  eventToken(hash: string): EventTokenRecord | null;
  insertLog(row: NewRow<'LogEntry'>): void;
  eventsVisibleTo(userId: number, all: boolean, page: KeysetPage): EventRow[];
  /** An event's log entries, oldest first past `after` or newest first before `before`. */
  logPage(eventId: number, page: KeysetPage): LogRow[];
  logLatest(eventId: number, page: LatestPage): LogRow[];
  /** Ids for the addresses, creating inactive users for unknown ones (callers hold the serial queue). */
  ensureUsers(emails: string[], now: Date): Map<string, number>;
  /** Outbox rows delivered: one statement for the batch, secrets scrubbed, DELIVERED logged. */
  markSent(ids: number[], logs: NewRow<'LogEntry'>[], now: Date): void;
  /** Takes up to `limit` due outbox rows for `tag` in one statement (see OutboxStore.claim). */
  claimOutbox(tag: string, limit: number, now: Date, lockedUntil: Date): ClaimedOutboxRow[];
  /** Inbound mail and mail history: the per-message queries of the inbound door. */
  inboundByKey(key: string): number | null;
  unprocessedInbound(limit: number, afterId: number): number[];
  /** Stores several messages in one commit; ids in input order, null for a known key. Not yet durable: see wal-sync.ts. */
  insertInbound(rows: NewRow<'InboundMessage'>[]): (number | null)[];
  inbound(id: number): StoredRow<'InboundMessage', 'id' | 'source' | 'mailFrom' | 'rcptTo' | 'raw' | 'status'> | null;
  /** Records an inbound message's outcome; false when it was processed already (its status no longer 'received'). */
  finishInbound(id: number, status: string, reason: string | null, eventId: number | null, now: Date): boolean;
  mailForToken(tokenHash: string): { eventId: number | null; payload: string } | null;
  mailsByMessageIds(ids: string[]): { eventId: number | null; recipient: string; messageId: string }[];
  countMailSince(recipient: string, kind: string, since: Date): number;
  /** MailCountQuery about event `eventId` (the same queries as db/mail-counts.ts). */
  countMail(eventId: number, query: MailCountQuery): number;
  /** Whole event writes as one SQLite transaction (callers hold the serial queue). */
  /** `draft`: the draft the event is made from, marked sent in the same transaction (throws if it moved on). */
  createEvent(event: NewRow<'Event'>, partyUserIds: number[], log: NewRow<'LogEntry'>, draft?: DraftClaim): number;
  updateEvent(id: number, expectedVersion: number, set: EventSet, rows: ChildRows): boolean;
  /** One transaction for all the writes, each in its own savepoint (see write-batch.ts). */
  runInTransaction: RunInTransaction;
  close(): void;
}

export type ClaimedOutboxRow = StoredRow<'OutboxMessage', (typeof CLAIMED)[number]>;
/** The event columns a change may set, as Prisma's update input types them (plain values only). */
export type EventSet = Partial<Pick<NewRow<'Event'>, 'title' | 'slots' | 'status' | 'answers' | 'zones' | 'inviteSequence' | 'invitedAt' | 'respondBy' | 'followUp' | 'followUpAt' | 'updatedAt'>>;
export interface ChildRows {
  logs: NewRow<'LogEntry'>[];
  tokens: NewRow<'EventToken'>[];
  outbox: NewRow<'OutboxMessage'>[];
}

const CLAIMED = ['id', 'eventId', 'kind', 'recipient', 'messageId', 'payload', 'attempts', 'createdAt'] as const satisfies readonly Column<'OutboxMessage'>[];
const USER = ['id', 'email', 'isStaff', 'isActive', 'passwordHash', 'credentialVersion'] as const satisfies readonly Column<'User'>[];
const TOKEN = ['id', 'eventId', 'email', 'expiresAt', 'scope'] as const satisfies readonly Column<'EventToken'>[];
const INBOUND = ['id', 'source', 'mailFrom', 'rcptTo', 'raw', 'status'] as const satisfies readonly Column<'InboundMessage'>[];
const UNSENT = `status IN ('pending', 'sending')`;
/** Mails of a kind to a recipient since a time (the mail caps): a range scan of OutboxMessage(recipient, kind, createdAt). */
export const COUNT_MAIL_SINCE = `SELECT count(*) AS n FROM "OutboxMessage" WHERE recipient = ? AND kind = ? AND createdAt >= ?`;

/** The mail a token came in: two unique-index lookups, the token by its hash, then its mail by Message-ID. */
export const MAIL_FOR_TOKEN = `SELECT o.eventId, o.payload FROM "EventToken" t JOIN "OutboxMessage" o ON o.messageId = t.messageId WHERE t.hash = ?`;

type StoredEvent = StoredRow<'Event'> & { ownerEmail: string };
const toUser = (r: StoredRow<'User', (typeof USER)[number]> | undefined): UserRecord | null => (r ? decodeRow('User', r) : null);

export function openSqliteFastPath(file: string): SqliteFastPath {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  // Per connection: in WAL mode NORMAL survives an application crash and skips the fsync per
  // commit (the profile's largest item). Inbound mail is made durable by a WAL sync (wal-sync.ts).
  db.pragma('synchronous = NORMAL');
  // Checkpoints run on their own thread (wal-checkpoint.ts); this connection only past the fallback.
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_FALLBACK_PAGES}`);
  const sql = sqlOn(db);
  const eventSelect = `SELECT e.*, u.email AS ownerEmail FROM "Event" e JOIN "User" u ON u.id = e.ownerId`;
  const q = {
    event: db.prepare(`${eventSelect} WHERE e.id = ?`),
    userById: db.prepare(`SELECT ${columns('User', USER)} FROM "User" WHERE id = ?`),
    apiKey: db.prepare(`SELECT ${columns('User', USER, 'u')}, t."expiresAt" AS keyExpiresAt, t."credentialVersion" AS keyVersion
      FROM "ApiToken" t JOIN "User" u ON u.id = t.userId WHERE t.keyHash = ?`),
    eventToken: db.prepare(`SELECT ${columns('EventToken', TOKEN)} FROM "EventToken" WHERE hash = ?`),
    allEvents: db.prepare(ALL_EVENTS_PAGE),
    visibleEvents: db.prepare(VISIBLE_EVENTS_PAGE),
    logPage: db.prepare(LOG_PAGE).raw(),
    logLatest: db.prepare(LOG_LATEST).raw(),
    userByEmail: db.prepare(`SELECT id FROM "User" WHERE email = ?`),
    insertUser: db.prepare(`INSERT OR IGNORE INTO "User" (email, createdAt) VALUES (?, ?)`),
    inboundByKey: db.prepare(`SELECT id FROM "InboundMessage" WHERE dedupeKey = ?`),
    inbound: db.prepare(`SELECT ${columns('InboundMessage', INBOUND)} FROM "InboundMessage" WHERE id = ?`),
    unprocessedInbound: db.prepare(`SELECT id FROM "InboundMessage" WHERE status = 'received' AND id > ? ORDER BY id LIMIT ?`),
    finishInbound: db.prepare(`UPDATE "InboundMessage" SET status = ?, reason = ?, eventId = ?, processedAt = ? WHERE id = ? AND status = 'received'`),
    mailForToken: db.prepare(MAIL_FOR_TOKEN),
    countMailSince: db.prepare(COUNT_MAIL_SINCE),
    countEventMailSince: db.prepare(`${COUNT_MAIL_SINCE} AND eventId = ?`),
    countBounced: db.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE eventId = ? AND recipient = ? AND status = 'bounced'`),
    countUnsent: db.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE eventId = ? AND ${UNSENT}`),
    countNotices: db.prepare(`SELECT count(DISTINCT "when") AS n FROM "LogEntry" WHERE eventId = ? AND occurrence = 'NOTIFY' AND effector = ? AND "when" >= ?`),
    // One statement, so atomic on its own: due rows (or rows whose claim ran out) become ours.
    claimOutbox: db.prepare(`UPDATE "OutboxMessage" SET status = 'sending', lockedBy = ?, lockedUntil = ?
      WHERE id IN (SELECT id FROM "OutboxMessage" WHERE (status = 'pending' AND nextAttemptAt <= ?) OR (status = 'sending' AND lockedUntil < ?)
        ORDER BY id LIMIT ?)
      RETURNING ${columns('OutboxMessage', CLAIMED)}`),
  };
  const toRow = ({ ownerEmail, ...r }: StoredEvent): EventRow => ({ ...decodeRow('Event', r), owner: { email: ownerEmail } });
  const count = (row: unknown) => (row as { n: number }).n;

  const insertInbound = db.transaction((rows: NewRow<'InboundMessage'>[]) => rows.map((r) =>
    (q.inboundByKey.get(r.dedupeKey) ? null : sql.insert('InboundMessage', r))));
  const claimDraft = db.prepare(`UPDATE "Draft" SET status = 'sent', eventId = ?, steps = ?, version = version + 1 WHERE id = ? AND version = ?`);
  const createEvent = db.transaction((event: NewRow<'Event'>, partyUserIds: number[], log: NewRow<'LogEntry'>, draft?: DraftClaim): number => {
    const id = sql.insert('Event', event);
    if (draft && claimDraft.run(id, JSON.stringify(draft.steps), draft.id, draft.version).changes !== 1) throw draftMovedOn();
    for (const userId of partyUserIds) sql.insert('EventParty', { eventId: id, userId });
    sql.insert('LogEntry', { ...log, eventId: id });
    return id;
  });
  const updateEvent = db.transaction((id: number, expectedVersion: number, set: EventSet, rows: ChildRows): boolean => {
    const names = Object.keys(set) as (keyof EventSet)[];
    const assignments = ['version = version + 1', ...names.map((c) => `"${c}" = ?`)].join(', ');
    const changed = sql.cached(`UPDATE "Event" SET ${assignments} WHERE id = ? AND version = ?`)
      .run(...names.map((c) => encodeValue(set[c])), id, expectedVersion).changes;
    if (changed !== 1) return false;
    for (const l of rows.logs) sql.insert('LogEntry', l);
    for (const t of rows.tokens) sql.insert('EventToken', t);
    for (const o of rows.outbox) sql.insert('OutboxMessage', o);
    return true;
  });
  // Log pages are read as arrays, in the order of LOG_COLUMNS: for a page of 100 rows, building
  // the objects here took ~60% of the time of better-sqlite3's row objects plus a copy.
  type AsArray<T extends readonly Column<'LogEntry'>[]> = { -readonly [I in keyof T]: StoredRow<'LogEntry'>[T[I] & Column<'LogEntry'>] };
  type LogArray = AsArray<typeof LOG_COLUMNS>;
  const toLogRows = (rows: unknown[]): LogRow[] => (rows as LogArray[])
    .map(([id, eventId, when, occurrence, effector, slots, data]) => ({ id, eventId, when: fromSqliteTime(when), occurrence, effector, slots, data }));
  const ensureUsers = db.transaction((emails: string[], now: Date) => {
    const ids = new Map<string, number>();
    for (const email of emails) {
      q.insertUser.run(email, toSqliteTime(now));
      ids.set(email, (q.userByEmail.get(email) as { id: number }).id);
    }
    return ids;
  });
  const markSent = db.transaction((ids: number[], logs: NewRow<'LogEntry'>[], now: Date) => {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      sql.cached(`UPDATE "OutboxMessage" SET status = 'sent', sentAt = ?, attempts = attempts + 1, lockedBy = NULL, lockedUntil = NULL,
        lastError = NULL, payload = json_remove(payload, '$.sealedToken', '$.sealedOrganizerToken') WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .run(toSqliteTime(now), ...chunk);
    }
    for (const l of logs) sql.insert('LogEntry', l);
  });
  return {
    unprocessedInbound: (limit, afterId) => (q.unprocessedInbound.all(afterId, limit) as { id: number }[]).map((r) => r.id),
    inboundByKey: (key) => (q.inboundByKey.get(key) as { id: number } | undefined)?.id ?? null,
    // 250 OK waits for this commit and for a WAL sync after it (see wal-sync.ts).
    insertInbound: (rows) => insertInbound(rows),
    inbound: (id) => (q.inbound.get(id) as ReturnType<SqliteFastPath['inbound']> | undefined) ?? null,
    finishInbound: (id, status, reason, eventId, now) => q.finishInbound.run(status, reason?.slice(0, 1000) ?? null, eventId, toSqliteTime(now), id).changes === 1,
    mailForToken: (hash) => (q.mailForToken.get(hash) as { eventId: number | null; payload: string } | undefined) ?? null,
    mailsByMessageIds: (ids) => ids.length
      ? sql.cached(`SELECT eventId, recipient, messageId FROM "OutboxMessage" WHERE messageId IN (${ids.map(() => '?').join(',')})`).all(...ids) as { eventId: number | null; recipient: string; messageId: string }[]
      : [],
    countMailSince: (recipient, kind, since) => count(q.countMailSince.get(recipient, kind, toSqliteTime(since))),
    countMail(eventId, c) {
      return count(c.of === 'pendingOutbox' ? q.countUnsent.get(eventId)
        : c.of === 'notices' ? q.countNotices.get(eventId, c.effector, toSqliteTime(c.since))
          : c.of === 'bounced' ? q.countBounced.get(eventId, c.recipient)
          : c.anyEvent ? q.countMailSince.get(c.recipient, c.kind, toSqliteTime(c.since))
            : q.countEventMailSince.get(c.recipient, c.kind, toSqliteTime(c.since), eventId));
    },
    markSent: (ids, logs, now) => markSent(ids, logs, now),
    claimOutbox: (tag, limit, now, lockedUntil) => {
      const t = toSqliteTime(now);
      const rows = q.claimOutbox.all(tag, toSqliteTime(lockedUntil), t, t, limit) as ClaimedOutboxRow[];
      // RETURNING gives no order guarantee; oldest first, as the portable path does.
      return rows.sort((a, b) => a.id - b.id);
    },
    event(id) {
      const r = q.event.get(id) as StoredEvent | undefined;
      return r ? toRow(r) : null;
    },
    eventsVisibleTo: (userId, all, { limit, after = 0 }) =>
      ((all ? q.allEvents.all({ after, limit }) : q.visibleEvents.all({ user: userId, after, limit })) as StoredEvent[]).map(toRow),
    logPage: (eventId, { limit, after = 0 }) => toLogRows(q.logPage.all({ event: eventId, after, limit })),
    logLatest: (eventId, { limit, before = Number.MAX_SAFE_INTEGER }) => toLogRows(q.logLatest.all({ event: eventId, before, limit })),
    ensureUsers: (emails, now) => ensureUsers(emails, now),
    userById: (id) => toUser(q.userById.get(id) as StoredRow<'User', (typeof USER)[number]> | undefined),
    apiKey(hash) {
      const r = q.apiKey.get(hash) as (StoredRow<'User', (typeof USER)[number]> & { keyExpiresAt: string; keyVersion: number }) | undefined;
      if (!r) return null;
      const { keyExpiresAt, keyVersion, ...user } = r;
      return { user: toUser(user)!, expiresAt: decodeRow('ApiToken', { expiresAt: keyExpiresAt }).expiresAt, credentialVersion: keyVersion };
    },
    eventToken(hash) {
      const r = q.eventToken.get(hash) as StoredRow<'EventToken', (typeof TOKEN)[number]> | undefined;
      if (!r) return null;
      const t = decodeRow('EventToken', r);
      return { ...t, scope: t.scope === 'rsvp' ? 'rsvp' : 'full' };
    },
    insertLog: (row) => void sql.insert('LogEntry', row),
    createEvent: (event, partyUserIds, log, draft) => createEvent(event, partyUserIds, log, draft),
    updateEvent: (id, expectedVersion, set, rows) => updateEvent(id, expectedVersion, set, rows),
    runInTransaction: transactionRunner(db),
    close: () => db.close(),
  };
}
