import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { eventColumns, logRow, newEventRow, outboxRow, toEvent, tokenRow } from './rows.js';
import type { ChildRows, SqliteFastPath } from './sqlite-fast-path.js';
import type { WriteBatch } from './write-batch.js';
import { countAll } from './mail-counts.js';
import { claimedDraft, draftMovedOn } from './draft-rows.js';
import { asBusy } from './busy.js';
import { lockEvent, type Tx } from './postgres-sql.js';
import { DomainError } from '../domain/errors.js';
import type { EventChange, EventRecord, EventStore, MailCountQueries, MailCounts } from '../domain/ports.js';
import type { KeysetPage } from '../domain/paging.js';

const withOwner = { owner: { select: { email: true } } } as const;

type Decide = (event: EventRecord | null, counts: MailCounts<string>) => EventChange;
type Counts = MailCountQueries<string> | undefined;

/** The inbound message a change answers was processed already (by a retry or another instance). */
const alreadyApplied = () => new DomainError('already_applied', 'This message was processed already.');

/** PostgreSQL: how long a write waits for an event's row lock before giving up as `busy`. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

export function createEventStore(db: Db, serial: Serial, mailDomain: string, now: () => Date, onOutbox: () => void = () => {},
  sqlite?: { path: SqliteFastPath; batch: WriteBatch }, lockTimeoutMs: number | null = DEFAULT_LOCK_TIMEOUT_MS): EventStore {
  const fast = sqlite?.path;
  return {
    create: (input) => serial(async () => {
      const when = now();
      if (fast) {
        const id = fast.createEvent(newEventRow(input, when), input.partyUserIds, logRow(0, input.log, when), input.draft);
        return toEvent(fast.event(id)!);
      }
      const row = await db.$transaction(async (tx) => {
        const event = await tx.event.create({
          data: {
            ...newEventRow(input, when),
            members: { create: input.partyUserIds.map((userId) => ({ userId })) },
          },
          include: withOwner,
        });
        await tx.logEntry.create({ data: logRow(event.id, input.log, when) });
        if (input.draft) {
          const { id: draftId, version, steps } = input.draft;
          const claimed = await tx.draft.updateMany({ where: { id: draftId, version }, data: { ...claimedDraft(event.id, steps), version: { increment: 1 } } });
          if (claimed.count === 0) throw draftMovedOn();
        }
        return event;
      }).catch(asBusy);
      return toEvent(row);
    }),

    get: async (id) => {
      if (fast) {
        const row = fast.event(id);
        return row ? toEvent(row) : null;
      }
      const row = await db.event.findUnique({ where: { id }, include: withOwner });
      return row ? toEvent(row) : null;
    },

    listVisibleTo: async (userId, all, page) => {
      if (fast) return fast.eventsVisibleTo(userId, all, page).map(toEvent);
      const rows = await serial(() => (all ? allEventsPage(page) : visibleEventsPage(userId, page)));
      return rows.map(toEvent);
    },

    mutate: <K extends string>(id: number, decide: (e: EventRecord | null, n: MailCounts<K>) => EventChange, counts?: MailCountQueries<K>) =>
      (sqlite ? mutateSqlite(sqlite, id, decide as Decide, counts) : mutateWithPrisma(id, decide as Decide, counts)),
  };

  /** The rows a change adds: log entries, tokens, outbox rows. */
  function childRows(id: number, change: EventChange, when: Date): ChildRows {
    const outbox = (change.outbox ?? []).map((o) => outboxRow(o, mailDomain, when));
    // Each token row names the mail that carries it: a reply to that mail is read against its list.
    const mailOfToken = new Map(outbox.flatMap((o) => (o.tokenHash ? [[o.tokenHash, o.messageId] as const] : [])));
    return {
      logs: change.log.map((e) => logRow(id, e, when)),
      tokens: (change.tokens ?? []).map((t) => tokenRow(id, t, when, mailOfToken.get(t.hash) ?? null)),
      outbox,
    };
  }

  /** Every event past `after`, by id: the primary key in order. */
  function allEventsPage({ limit, after = 0 }: KeysetPage) {
    return db.event.findMany({ where: { id: { gt: after } }, include: withOwner, orderBy: { id: 'asc' }, take: limit });
  }

  /**
   * The user's events (owner OR party) past `after`: an OR cannot walk one index in id order,
   * so the owned ids (Event(ownerId, id)) and the joined ids (EventParty(userId, eventId)) are
   * two keyset scans of at most `limit` each, merged and cut to `limit`; then those events.
   */
  async function visibleEventsPage(userId: number, { limit, after = 0 }: KeysetPage) {
    const [owned, joined] = await Promise.all([
      db.event.findMany({ where: { ownerId: userId, id: { gt: after } }, select: { id: true }, orderBy: { id: 'asc' }, take: limit }),
      db.eventParty.findMany({ where: { userId, eventId: { gt: after } }, select: { eventId: true }, orderBy: { eventId: 'asc' }, take: limit }),
    ]);
    const ids = [...new Set([...owned.map((r) => r.id), ...joined.map((r) => r.eventId)])].sort((a, b) => a - b).slice(0, limit);
    return db.event.findMany({ where: { id: { in: ids } }, include: withOwner, orderBy: { id: 'asc' } });
  }

  /** SQLite: read, count, decide and write inside one shared transaction (the write batch). */
  async function mutateSqlite({ path, batch }: { path: SqliteFastPath; batch: WriteBatch }, id: number, decide: Decide, counts: Counts) {
    const when = now();
    let queuedMail = false;
    const row = await batch(() => {
      const current = path.event(id);
      const n: MailCounts<string> = {};
      for (const [key, q] of Object.entries(counts ?? {})) n[key] = path.countMail(id, q);
      const change = decide(current ? toEvent(current) : null, n);
      const rows = childRows(id, change, when);
      if (change.inbound && !path.finishInbound(change.inbound.id, change.inbound.status, change.inbound.reason, id, when)) throw alreadyApplied();
      if (!current || !path.updateEvent(id, current.version, eventColumns(change, when), rows)) {
        throw new Error(`event ${id} changed inside its own transaction`);
      }
      queuedMail = rows.outbox.length > 0;
      return path.event(id)!;
    });
    if (queuedMail) onOutbox();
    return toEvent(row);
  }

  /**
   * PostgreSQL: the event's row is locked first, so concurrent changes queue instead of colliding.
   * Counts are read under that lock. A lock held elsewhere longer than `lockTimeoutMs` ends the
   * wait with `busy` (a domain error the doors answer with 503 / a later retry), not a crash.
   * `lockTimeoutMs` null: no row lock (SQLite through Prisma alone, whose one writer is the lock).
   */
  async function mutateWithPrisma(id: number, decide: Decide, counts: Counts) {
    const when = now();
    const { row, change } = await db.$transaction(async (tx) => {
      if (lockTimeoutMs !== null) await lockEvent(tx, id, lockTimeoutMs);
      const current = await tx.event.findUnique({ where: { id }, include: withOwner });
      const change = decide(current ? toEvent(current) : null, current ? await countAll(tx, id, counts) : {});
      const row = current && (await writeWithPrisma(tx, id, current.version, change, when));
      if (!row) throw new Error(`event ${id} changed while locked`);
      return { row, change };
    }, { maxWait: 10_000, timeout: 10_000 + (lockTimeoutMs ?? 0) }).catch(asBusy);
    if (change.outbox?.length) onOutbox();
    return toEvent(row);
  }

  /** The change with its rows if the event is still at `expectedVersion`; null otherwise. */
  async function writeWithPrisma(tx: Tx, id: number, expectedVersion: number, change: EventChange, when: Date) {
    if (change.inbound) {
      const { id: inboundId, status, reason } = change.inbound;
      const marked = await tx.inboundMessage.updateMany({
        where: { id: inboundId, status: 'received' },
        data: { status, reason: reason.slice(0, 1000), eventId: id, processedAt: when },
      });
      if (marked.count === 0) throw alreadyApplied();
    }
    const { count } = await tx.event.updateMany({
      where: { id, version: expectedVersion },
      data: { version: { increment: 1 }, ...eventColumns(change, when) },
    });
    if (count === 0) return null;
    const rows = childRows(id, change, when);
    if (rows.logs.length) await tx.logEntry.createMany({ data: rows.logs });
    if (rows.tokens.length) await tx.eventToken.createMany({ data: rows.tokens });
    if (rows.outbox.length) await tx.outboxMessage.createMany({ data: rows.outbox });
    return tx.event.findUnique({ where: { id }, include: withOwner });
  }
}
