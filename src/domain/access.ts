// Who may do what to an event (SPEC §3 table). One function, used by every door.
import { DomainError } from './errors.js';
import type { Actor } from './actor.js';
import type { EventRecord } from './ports.js';

/**
 * `rsvp`: record a calendar's iMIP REPLY (the only thing an rsvp-scoped token may do).
 * `book`: decide the time (SPEC §11): the owner (signed in or by their own token) or staff.
 * `remind`: send the next reminders now (SPEC §11): the same.
 */
export type EventOperation = 'view' | 'patch' | 'notify' | 'log' | 'cancel' | 'rsvp' | 'book' | 'remind';

const NOT_ORGANIZER = 'Only the organizer of the event (or staff) may book a time.';
/** Operations only the organizer (or staff) may perform, with what anyone else is told. */
const ORGANIZER_ONLY: Partial<Record<EventOperation, string>> = {
  book: NOT_ORGANIZER,
  remind: 'Only the organizer of the event (or staff) may send reminders.',
};

export function authorize(event: EventRecord, actor: Actor, op: EventOperation): void {
  if (actor.kind === 'token') {
    if (actor.eventId !== event.id) {
      throw new DomainError('token_wrong_event', 'This token belongs to another event.');
    }
    // The meet+ ORGANIZER token sits in every calendar that stored the invite: RSVP only.
    if (actor.scope === 'rsvp' && op !== 'rsvp') throw new DomainError('forbidden', 'This key only answers a calendar invitation.');
    // A token minted for the owner's address (the organizer's summary, their own mails) is the owner's.
    const owner = actor.email === event.ownerEmail;
    if (ORGANIZER_ONLY[op]) {
      if (owner) return;
      throw new DomainError('not_organizer', ORGANIZER_ONLY[op], { op });
    }
    if (op === 'cancel' && !owner) throw new DomainError('forbidden', 'Only the owner or staff may cancel an event.');
    if (!owner && !event.parties.includes(actor.email)) throw new DomainError('forbidden', 'Not a party of this event.');
    return;
  }
  const { user } = actor;
  if (user.isStaff || user.id === event.ownerId) return;
  if (ORGANIZER_ONLY[op]) throw new DomainError('not_organizer', ORGANIZER_ONLY[op], { op });
  if (op !== 'cancel' && event.parties.includes(user.email)) return;
  throw new DomainError('forbidden', op === 'cancel'
    ? 'Only the owner or staff may cancel an event.'
    : 'You do not have permission to access this event.');
}

/** Whether `actor` may perform `op` (what a door shows, e.g. the page's booking buttons). */
export function allows(event: EventRecord, actor: Actor, op: EventOperation): boolean {
  try {
    authorize(event, actor, op);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

export function requireUser(actor: Actor): Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new DomainError('forbidden', 'An event token cannot be used here; sign in.');
  return actor;
}
