// The paginated reads of SPEC §13 on SQLite's fast path (sqlite-fast-path.ts prepares them;
// test/integration/sqlite-query-plans.test.ts checks their plans). Each is a keyset scan on an
// index in id order, stopped by LIMIT: its cost is its page's, however large the tables.
import { columns, type Column } from './sqlite-sql.js';

const EVENT_COLS = 'e.*, u.email AS ownerEmail';

/** Every event (staff), ids above @after: the primary key in order. */
export const ALL_EVENTS_PAGE = `SELECT ${EVENT_COLS} FROM "Event" e JOIN "User" u ON u.id = e.ownerId
  WHERE e.id > @after ORDER BY e.id LIMIT @limit`;

/**
 * A user's events (owner OR party): an OR cannot walk one index in id order, so the owned ids
 * (Event(ownerId, id)) and the joined ids (EventParty(userId, eventId)) are two index scans,
 * merged in id order (UNION drops an event that is both); the merge reads each lazily and stops
 * at @limit. CROSS JOIN keeps the page as the outer loop, so its order needs no sort.
 */
export const VISIBLE_EVENTS_PAGE = `SELECT ${EVENT_COLS} FROM (
    SELECT id FROM "Event" WHERE ownerId = @user AND id > @after
    UNION
    SELECT eventId FROM "EventParty" WHERE userId = @user AND eventId > @after
    ORDER BY 1 LIMIT @limit
  ) page CROSS JOIN "Event" e ON e.id = page.id JOIN "User" u ON u.id = e.ownerId ORDER BY page.id`;

/** In this order: the fast path reads log rows as arrays (sqlite-fast-path.ts, toLogRows). */
export const LOG_COLUMNS = ['id', 'eventId', 'when', 'occurrence', 'effector', 'slots', 'data'] as const satisfies readonly Column<'LogEntry'>[];
const LOG_COLS = columns('LogEntry', LOG_COLUMNS);

/** An event's log, oldest first, ids above @after: LogEntry(eventId, id). */
export const LOG_PAGE = `SELECT ${LOG_COLS} FROM "LogEntry" WHERE eventId = @event AND id > @after ORDER BY id LIMIT @limit`;

/** An event's log, newest first, ids below @before: the same index backwards. */
export const LOG_LATEST = `SELECT ${LOG_COLS} FROM "LogEntry" WHERE eventId = @event AND id < @before ORDER BY id DESC LIMIT @limit`;
