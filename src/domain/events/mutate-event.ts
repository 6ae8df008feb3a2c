import { DomainError } from '../errors.js';
import { loadEvent, requireEvent } from './load-event.js';
import type { EventOperation } from '../access.js';
import type { Actor } from '../actor.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';

const MAX_ATTEMPTS = 8;

/**
 * Read-modify-write of one event without lost updates: `decide` sees the current event and
 * returns the change; the store applies it only if nobody wrote in between (version check),
 * otherwise we re-read and decide again. `decide` must be synchronous and pure apart from
 * generating tokens.
 */
export async function mutateEvent(
  deps: Deps,
  actor: Actor,
  id: number,
  op: EventOperation,
  decide: (event: EventRecord) => EventChange,
): Promise<EventRecord> {
  // A store that applies changes in place (SQLite: one writer) needs no version retries, which
  // under many concurrent writes to one event would mostly collide with each other.
  if (deps.events.mutate && Number.isSafeInteger(id) && id > 0) {
    return deps.events.mutate(id, (event) => decide(requireEvent(event, actor, id, op)));
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const event = await loadEvent(deps, actor, id, op);
    const change = decide(event);
    const updated = await deps.events.update(event.id, event.version, change);
    if (updated) return updated;
  }
  throw new DomainError('conflict', 'The event is being changed by others right now; try again.');
}
