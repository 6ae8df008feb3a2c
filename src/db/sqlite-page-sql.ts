// The paginated reads of SPEC §13 on SQLite's fast path (sqlite-fast-path.ts prepares them;
// test/integration/db/query-plans.test.ts checks their plans). Each is a keyset scan on an
// index in id order, stopped by LIMIT: its cost is its page's, however large the tables.

const EVENT_COLS = 'e.*, u.email AS ownerEmail';

/** Every event (staff), ids above @after: the primary key in order. */
export const ALL_EVENTS_PAGE = `SELECT ${EVENT_COLS} FROM "Event" e JOIN "User" u ON u.id = e.ownerId
  WHERE e.id > @after ORDER BY e.id LIMIT @limit`;

/**
 * A user's events (owner OR party): an OR cannot walk one index in id order, so the owned ids
 * (Event(ownerId, id)) and the joined ids (EventParty(userId, eventId)) are two keyset scans of
 * at most @limit each, merged (UNION drops an event that is both) and cut to @limit.
 */
export const VISIBLE_EVENTS_PAGE = `SELECT ${EVENT_COLS} FROM (
    SELECT id FROM (SELECT id FROM "Event" WHERE ownerId = @user AND id > @after ORDER BY id LIMIT @limit)
    UNION
    SELECT eventId FROM (SELECT eventId FROM "EventParty" WHERE userId = @user AND eventId > @after ORDER BY eventId LIMIT @limit)
    ORDER BY 1 LIMIT @limit
  ) page JOIN "Event" e ON e.id = page.id JOIN "User" u ON u.id = e.ownerId ORDER BY e.id`;

const LOG_COLS = 'id, eventId, "when", occurrence, effector, slots, data';

/** An event's log, oldest first, ids above @after: LogEntry(eventId, id). */
export const LOG_PAGE = `SELECT ${LOG_COLS} FROM "LogEntry" WHERE eventId = @event AND id > @after ORDER BY id LIMIT @limit`;

/** An event's log, newest first, ids below @before: the same index backwards. */
export const LOG_LATEST = `SELECT ${LOG_COLS} FROM "LogEntry" WHERE eventId = @event AND id < @before ORDER BY id DESC LIMIT @limit`;
