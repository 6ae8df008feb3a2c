import { loadEvent } from './load-event.js';
import { actorEmail, type Actor, type ActionContext } from '../actor.js';
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

/** The event's dispatch log, oldest first, as `ctx.actor` may see it. Reading the log is not itself logged. */
export async function getLog(deps: Deps, ctx: ActionContext, id: number): Promise<{ event: EventRecord; entries: LogEntryRecord[] }> {
  const event = await loadEvent(deps, ctx.actor, id, 'log');
  return { event, entries: visibleEntries(ctx.actor, event, await deps.log.list(event.id)) };
}
