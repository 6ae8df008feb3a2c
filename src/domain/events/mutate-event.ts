import { DomainError } from '../errors.js';
import { loadEvent, requireEvent } from './load-event.js';
import type { EventOperation } from '../access.js';
import type { Actor } from '../actor.js';
import type { Deps, EventChange, EventRecord, MailCountQueries, MailCounts } from '../ports.js';

const MAX_ATTEMPTS = 8;

/**
 * Read-modify-write of one event without lost updates: `decide` sees the current event and
 * returns the change; the store applies it only if nobody wrote in between (version check),
 * otherwise we re-read and decide again. `decide` must be synchronous and pure apart from
 * generating tokens. `counts` (caps on mail) are read in the same guarded write and handed to
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
  // A store that applies changes in place (SQLite: one writer) needs no version retries, which
  // under many concurrent writes to one event would mostly collide with each other.
  if (deps.events.mutate && Number.isSafeInteger(id) && id > 0) {
    return deps.events.mutate<K>(id, (event, n) => decide(requireEvent(event, actor, id, op), n), counts);
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const event = await loadEvent(deps, actor, id, op);
    // Read before the write: the writes that add to this event's counts bump its version, so
    // the version check below rejects a decision made on stale ones (counts across events,
    // `anyEvent`, are only as exact as on the locking stores: per event).
    const entries = await Promise.all(Object.entries<MailCountQueries<K>[K]>(counts ?? ({} as MailCountQueries<K>))
      .map(async ([k, q]) => [k, await deps.mail.count(event.id, q)] as const));
    const change = decide(event, Object.fromEntries(entries) as MailCounts<K>);
    const updated = await deps.events.update(event.id, event.version, change);
    if (updated) return updated;
  }
  throw new DomainError('conflict', 'The event is being changed by others right now; try again.');
}
