// Outbound rendering contract. The payload types live in the domain (it writes outbox rows);
// RenderInput is what the worker hands to the renderer after opening secrets.
import type { MailPayload } from '../../domain/notification.js';

export type { MailKind, SlotView, MailPayload } from '../../domain/notification.js';

/** What the worker hands to the renderer after opening secrets. */
export interface RenderInput extends Omit<MailPayload, 'sealedToken' | 'sealedOrganizerToken'> {
  /** Absolute link to the event page with ?et=<token>. */
  link?: string;
  /** reply+<token>@MAIL_DOMAIN */
  replyAddress?: string;
  /** meet+<rsvp-only token>@MAIL_DOMAIN: ORGANIZER of REQUEST/CANCEL so iMIP REPLYs come back to us. */
  organizerAddress?: string;
  /** Bot's address and display name (MAIL_FROM). */
  botAddress: string;
  botName: string;
  mailDomain: string;
  /** ISO timestamp used for DTSTAMP, so rendering is a pure function of its input. */
  now: string;
}
