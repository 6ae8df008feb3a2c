import { requireEvent } from './load-event.js';
import { keepFollowUp } from './follow-up.js';
import type { EventOperation } from '../access.js';
import type { Actor } from '../actor.js';
import type { Deps, EventChange, EventRecord, MailCountQueries, MailCounts } from '../ports.js';

/**
 * Read-modify-write of one event without lost updates: `decide` sees the event as stored,
 * checked for `actor` and `op`, and returns the change, which the store applies with no other
 * write in between (EventStore.mutate). `decide` must be synchronous and pure apart from
 * generating tokens. `counts` (caps on mail) are read in the same write and handed to
 * `decide`, so two concurrent writers cannot both pass a cap.
 */
export async function mutateEvent<K extends string = never>(
  deps: Deps,
  actor: Actor,
  id: number,
  op: EventOperation,
  decide: (event: EventRecord, counts: MailCounts<K>) => EventChange,
  counts?: MailCountQueries<K>,
): Promise<EventRecord> {
  if (!Number.isSafeInteger(id) || id <= 0) requireEvent(null, actor, id, op);
  return changeEvent<K>(deps, id, (event, n) => decide(requireEvent(event, actor, id, op), n), counts);
}

/**
 * EventStore.mutate with the follow-up (reminders, summary: follow-up.ts) kept in the same
 * write. Every change of an event goes through here; `decide` gets null for a missing event.
 */
export function changeEvent<K extends string = never>(
  deps: Deps,
  id: number,
  decide: (event: EventRecord | null, counts: MailCounts<K>) => EventChange,
  counts?: MailCountQueries<K>,
): Promise<EventRecord> {
  return deps.events.mutate<K>(id, (event, n) => {
    const change = decide(event, n);
    return event ? keepFollowUp(deps, event, change) : change;
  }, counts);
}
