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
    // Authorization failures are never answered (no backscatter): the caller quarantines.
    default:
      return null;
  }
}
