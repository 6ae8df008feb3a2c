// The one place where domain error codes become words in a reply e-mail (the HTTP door has
// its own mapping in src/http/error-handler.ts).
import type { DomainError } from '../../domain/errors.js';

export function problemFor(err: DomainError): string | null {
  switch (err.code) {
    case 'event_closed':
      return err.details.status === 'confirmed'
        ? 'This meeting is already confirmed, so the slots can no longer change.'
        : 'This meeting was cancelled, so it can no longer change.';
    case 'validation': {
      // A field of its own (an unknown time zone) says what was wrong in its own words.
      const zone = (err.details.fields as Record<string, string[]> | undefined)?.zone?.[0];
      return zone ?? 'Your answer did not leave a valid slot list.';
    }
    // Only the owner's token books: a party who wrote "book 2" is told so (they are a party, not a stranger).
    case 'not_organizer':
      return `Only the organizer can ${err.details.op === 'remind' ? 'send reminders' : 'book a time'}. To answer, reply with the numbers of the slots you can make.`;
    case 'slot_not_listed':
      return typeof err.details.number === 'number'
        ? `Time ${err.details.number} is not (or no longer) in the list, so nothing was booked. The current list is below: reply "book N" with one of its numbers.`
        : 'That time is not in the list, so nothing was booked.';
    // Authorization failures are never answered (no backscatter): the caller quarantines.
    default:
      return null;
  }
}
