// Keyset pages over ids (SPEC §13): a page is the next `limit` items past the last id the
// reader saw, so a request reads only its page however much is stored (no OFFSET), and items
// added meanwhile come at the end instead of shifting the pages. The cursor that says where to
// go on is opaque to clients and made by the CursorCodec port (src/security/page-cursors.ts):
// it names that id for one scope only (the list, or one event's log in one direction) and
// carries a MAC, so one made or edited by hand, or carried over from another scope, is a 400.
import { z } from 'zod';
import { parseInput } from './parse-input.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;

/**
 * The port that makes and reads cursors (implemented in src/security, wired in src/deps.ts as
 * Deps.cursors): a position (the last id a page showed) bound to the scope it pages, so a
 * cursor made by hand, edited, or taken from another list or another event's log is refused
 * rather than read as a position there.
 */
export interface CursorCodec {
  /** An opaque, URL-safe cursor for `id` (a positive 32-bit id) in `scope`. */
  encode(scope: string, id: number): string;
  /** The id `cursor` was made from for `scope`; null for anything else (garbled, edited, forged, another scope's). */
  decode(scope: string, cursor: string): number | null;
}

/** Where a cursor is good: what it pages. */
export const cursorScope = {
  /** GET /: the caller's list of events (a position only: not bound to the caller). */
  events: 'events',
  /** GET /{id}/log/: that event's log, oldest first. */
  log: (eventId: number) => `log:${eventId}`,
  /** The web page's "Older entries": that event's log, newest first. */
  olderLog: (eventId: number) => `log-before:${eventId}`,
};

/** Where a page starts and how long it is. */
export interface KeysetPage {
  limit: number;
  /** Oldest first, ids above `after`; absent: from the first. */
  after?: number;
}

/** The same, read newest first: ids below `before`; absent: from the newest. */
export interface LatestPage {
  limit: number;
  before?: number;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the page after this one; null when this is the last. */
  next: string | null;
}

/**
 * `rows` as read with one row more than the page holds (limit + 1): that extra row, if there,
 * proves a next page exists without reading it; it starts after the page's last id (a cursor
 * for `scope`).
 */
export function toPage<T extends { id: number }>(rows: T[], limit: number, cursors: CursorCodec, scope: string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? cursors.encode(scope, items[items.length - 1]!.id) : null };
}

// DRF's IntegerField messages, which the seed's clients know.
const NOT_AN_INTEGER = 'A valid integer is required.';
const Limit = z.string({ error: NOT_AN_INTEGER })
  .regex(/^-?\d+$/, { error: NOT_AN_INTEGER, abort: true })
  .transform(Number)
  .pipe(z.number()
    .min(1, { error: 'Ensure this value is greater than or equal to 1.' })
    .max(MAX_PAGE_SIZE, { error: `Ensure this value is less than or equal to ${MAX_PAGE_SIZE}.` }))
  // Shown as what it means: a query string carries it as text.
  .meta({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, pattern: undefined, description: `Items per page (default ${DEFAULT_PAGE_SIZE})` });

const INVALID_CURSOR = 'Invalid cursor.';

/** `?limit=&cursor=` of a paginated list, as query strings carry them (what /openapi shows). */
export const PageQuery = z.object({
  limit: Limit.optional(),
  cursor: z.string()
    .meta({ description: 'Opaque, from the Link header of the previous page of the same list; absent: the first page. Made by the server for this list only: any other value is a 400' })
    .optional(),
});

/** A cursor once decoded for its scope (withDecodedCursor): the id, or null (not one of ours there). */
const DecodedCursor = z.number({ error: INVALID_CURSOR });
const DecodedPageQuery = z.object({ limit: Limit.optional(), cursor: DecodedCursor.optional() });
const DecodedRecentQuery = z.object({ before: DecodedCursor.optional() });

/**
 * `query` with its `field` replaced by the id that cursor names in `scope` (null: not a cursor
 * of ours for that scope, which the schema then refuses with the other fields' messages).
 */
function withDecodedCursor(query: unknown, field: string, cursors: CursorCodec, scope: string): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const raw = (query as Record<string, unknown>)[field];
  if (raw === undefined) return query;
  return { ...query, [field]: typeof raw === 'string' ? cursors.decode(scope, raw) : null };
}

/** The page `query` (`{limit?, cursor?}` as sent) asks for in `scope`; 400 with field messages if bad. */
export function readPage(query: unknown, cursors: CursorCodec, scope: string): KeysetPage {
  const { limit, cursor } = parseInput(DecodedPageQuery, withDecodedCursor(query, 'cursor', cursors, scope));
  return { limit: limit ?? DEFAULT_PAGE_SIZE, ...(cursor !== undefined && { after: cursor }) };
}

/** The id before which `query.before` (a cursor of `scope`, or absent) asks to read; 400 if bad. */
export function readBefore(query: { before?: unknown }, cursors: CursorCodec, scope: string): number | undefined {
  return parseInput(DecodedRecentQuery, withDecodedCursor(query, 'before', cursors, scope)).before;
}
