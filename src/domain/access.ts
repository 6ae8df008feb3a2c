// Who may do what to an event (SPEC §3 table). One function, used by every door.
import { DomainError } from './errors.js';
import type { Actor } from './actor.js';
import type { EventRecord } from './ports.js';

/** `rsvp`: record a calendar's iMIP REPLY (the only thing an rsvp-scoped token may do). */
export type EventOperation = 'view' | 'patch' | 'notify' | 'log' | 'cancel' | 'rsvp';

export function authorize(event: EventRecord, actor: Actor, op: EventOperation): void {
  if (actor.kind === 'token') {
    if (actor.eventId !== event.id) {
      throw new DomainError('token_wrong_event', 'This token belongs to another event.');
    }
    // The meet+ ORGANIZER token sits in every calendar that stored the invite: RSVP only.
    if (actor.scope === 'rsvp' && op !== 'rsvp') throw new DomainError('forbidden', 'This key only answers a calendar invitation.');
    // A token minted for the owner's address (the organizer's summary) is the owner's.
    const owner = actor.email === event.ownerEmail;
    if (op === 'cancel' && !owner) throw new DomainError('forbidden', 'Only the owner or staff may cancel an event.');
    if (!owner && !event.parties.includes(actor.email)) throw new DomainError('forbidden', 'Not a party of this event.');
    return;
  }
  const { user } = actor;
  if (user.isStaff || user.id === event.ownerId) return;
  if (op !== 'cancel' && event.parties.includes(user.email)) return;
  throw new DomainError('forbidden', op === 'cancel'
    ? 'Only the owner or staff may cancel an event.'
    : 'You do not have permission to access this event.');
}

export function requireUser(actor: Actor): Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new DomainError('forbidden', 'An event token cannot be used here; sign in.');
  return actor;
}
