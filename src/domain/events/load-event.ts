import { DomainError } from '../errors.js';
import { authorize, type EventOperation } from '../access.js';
import type { Actor } from '../actor.js';
import type { Deps, EventRecord } from '../ports.js';

/** The event `id` as found (or null), checked: it exists and `actor` may perform `op` on it. */
export function requireEvent(event: EventRecord | null, actor: Actor, id: number, op: EventOperation): EventRecord {
  if (!event) {
    // A token for another event learns nothing about which ids exist.
    if (actor.kind === 'token' && actor.eventId !== id) {
      throw new DomainError('token_wrong_event', 'This token belongs to another event.');
    }
    throw new DomainError('event_not_found', 'Not found.');
  }
  authorize(event, actor, op);
  return event;
}

/** Loads an event and checks that `actor` may perform `op` on it. */
export async function loadEvent(deps: Deps, actor: Actor, id: number, op: EventOperation): Promise<EventRecord> {
  const event = Number.isSafeInteger(id) && id > 0 ? await deps.events.get(id) : null;
  return requireEvent(event, actor, id, op);
}
