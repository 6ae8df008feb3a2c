import { loadEvent } from './load-event.js';
import { actorEmail, type Actor, type ActionContext } from '../actor.js';
import { cursorScope, readBefore, readPage, toPage } from '../paging.js';
import type { Deps, EventRecord, LogEntryRecord } from '../ports.js';

/** Log data fields holding a mail's Message-ID (ours or a party's); see visibleEntries. */
const MESSAGE_ID_FIELDS = ['message_id', 'in_reply_to', 'references'];

/** Owner and staff oversee the whole event; anyone else reads it as one of its parties. */
function seesEverything(actor: Actor, event: EventRecord): boolean {
  return (actor.kind === 'user' && actor.user.isStaff) || actorEmail(actor) === event.ownerEmail;
}

/**
 * A party sees Message-IDs only of their own mail: the one they acted by (an entry they are the
 * effector of, e.g. their reply) or a mail sent to them (DELIVERED, FAILED, BOUNCED: no
 * effector, `data.recipient`). Another party's Message-ID would help forge a reply into that
 * party's thread. Owner and staff see every field. Used by every reader of the log (API, page).
 */
export function visibleEntries(actor: Actor, event: EventRecord, entries: LogEntryRecord[]): LogEntryRecord[] {
  if (seesEverything(actor, event)) return entries;
  const reader = actorEmail(actor);
  return entries.map((entry) => {
    if ((entry.effector ?? entry.data.recipient) === reader) return entry;
    if (!MESSAGE_ID_FIELDS.some((f) => f in entry.data)) return entry;
    const data = { ...entry.data };
    for (const f of MESSAGE_ID_FIELDS) delete data[f];
    return { ...entry, data };
  });
}

/**
 * One page of the event's dispatch log, oldest first, as `ctx.actor` may see it; `query` is
 * `{limit?, cursor?}` as sent, parsed once access is checked. `next`: the cursor of the page
 * after it (null on the last). Reading the log is not itself logged.
 */
export async function getLog(deps: Deps, ctx: ActionContext, id: number, query: unknown) {
  const event = await loadEvent(deps, ctx.actor, id, 'log');
  const scope = cursorScope.log(event.id);
  const page = readPage(query, deps.cursors, scope);
  const { items, next } = toPage(await deps.log.list(event.id, { ...page, limit: page.limit + 1 }), page.limit, deps.cursors, scope);
  return { event, entries: visibleEntries(ctx.actor, event, items), next };
}

/**
 * The latest `limit` entries of the log before the cursor `query.before` (absent: the newest),
 * newest first, as `ctx.actor` may see them (the web page's view). `older`: the cursor of the
 * entries before these (null when these reach the first).
 */
export async function getRecentLog(deps: Deps, ctx: ActionContext, id: number, limit: number, query: { before?: unknown }) {
  const event = await loadEvent(deps, ctx.actor, id, 'log');
  const scope = cursorScope.olderLog(event.id);
  const before = readBefore(query, deps.cursors, scope);
  const rows = await deps.log.latest(event.id, { limit: limit + 1, ...(before !== undefined && { before }) });
  const entries = visibleEntries(ctx.actor, event, rows.slice(0, limit));
  return { event, entries, older: rows.length > limit ? deps.cursors.encode(scope, entries[entries.length - 1]!.id) : null };
}
