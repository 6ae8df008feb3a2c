// What the page says for a domain error that ends the request (its status: ../error-status.ts).
import type { DomainError } from '../../domain/errors.js';
import type { ErrorView } from './render.js';
import { instantLabel } from '../../domain/time-labels.js';

export const NOT_FOUND: ErrorView = { heading: 'Event not found', paragraphs: ['There is no such event.'], link: null };

/** `usedToken`: the request came with an event token (a link), not a password. */
export function failureView(err: DomainError, usedToken: boolean, tokenTtlDays: number): ErrorView {
  switch (err.code) {
    case 'token_expired': {
      const at = typeof err.details.expired_at === 'string' ? instantLabel(new Date(err.details.expired_at), true) : null;
      return {
        heading: 'This link has expired',
        paragraphs: [
          `Personal links work for ${tokenTtlDays} days${at ? `; this one expired on ${at}` : ''}.`,
          'Look for a newer e-mail about this event: every notification carries a fresh link. If there is none, ask the organizer to send the times again.',
        ],
        link: null,
      };
    }
    case 'not_authenticated':
      return usedToken
        ? { heading: 'This link is not valid', paragraphs: [
            'The link does not match any invitation. It may have been cut off by your mail program: copy the whole address, including everything after “?et=”, into the browser.',
            'Otherwise open the link from your latest e-mail about this event.',
          ], link: null }
        : { heading: 'Sign-in failed', paragraphs: [err.message], link: null };
    case 'token_wrong_event':
      return { heading: 'This link belongs to another event', paragraphs: [
        'Your personal link only opens the event it was sent for. Open the link from the e-mail about this event.',
      ], link: null };
    case 'forbidden':
      return { heading: 'You cannot open this event', paragraphs: [err.message], link: null };
    case 'event_not_found':
      return NOT_FOUND;
    case 'validation':
      // The only query the page reads is ?log_before= (a cursor of ours for this event's page): cut off, edited or from elsewhere.
      return { heading: 'This link is not valid', paragraphs: [
        'Part of the address is not one calndro made; it may have been cut off. Open the event again from the link in your e-mail.',
      ], link: null };
    case 'throttled':
      return { heading: 'Too many attempts', paragraphs: [err.message], link: null };
    default:
      return { heading: 'That did not work', paragraphs: [err.message], link: null };
  }
}
