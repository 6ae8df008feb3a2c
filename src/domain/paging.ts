// Keyset pages over ids (SPEC §13): a page is the next `limit` items past the last id the
// reader saw, so a request reads only its page however much is stored (no OFFSET), and items
// added meanwhile come at the end instead of shifting the pages. The cursor that says where to
// go on is opaque to clients: base64url of "k<id>". It only names a position: one edited by
// hand that still decodes shows no more than the caller may see anyway.
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;
/** Ids are 32-bit (Prisma's Int is PostgreSQL's integer): a larger one names no position. */
const MAX_ID = 2_147_483_647;

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

// base64url (RFC 4648 §5) of ASCII text, unpadded, with the web platform's btoa and atob.
const toBase64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function encodeCursor(id: number): string {
  return toBase64url(`k${id}`);
}

/** The id a cursor names, or null when it is not one of ours (garbled, edited, out of range). */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,24}$/.test(cursor)) return null;
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null; // not base64 at all (a length no encoding has)
  }
  const m = /^k([1-9]\d{0,9})$/.exec(text);
  const id = m ? Number(m[1]) : 0;
  // Canonical form only: base64url decoding forgives stray bits that would make two spellings.
  return id > 0 && id <= MAX_ID && encodeCursor(id) === cursor ? id : null;
}

/**
 * `rows` as read with one row more than the page holds (limit + 1): that extra row, if there,
 * proves a next page exists without reading it; it starts after the page's last id.
 */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(items[items.length - 1]!.id) : null };
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
/** A cursor from a previous page's `Link: <…>; rel="next"`, as the id it names. */
export const Cursor = z.string({ error: INVALID_CURSOR })
  .transform((cursor, ctx) => {
    const id = decodeCursor(cursor);
    if (id === null) ctx.addIssue({ code: 'custom', message: INVALID_CURSOR });
    return id ?? z.NEVER;
  })
  .meta({ description: 'Opaque position from the Link header of the previous page; absent: the first page' });

/** `?limit=&cursor=` of a paginated list, as query strings carry them. */
export const PageQuery = z.object({ limit: Limit.optional(), cursor: Cursor.optional() });

/** The page a query asks for (after parseInput). */
export function keysetPage(query: z.output<typeof PageQuery>): KeysetPage {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, ...(query.cursor !== undefined && { after: query.cursor }) };
}
