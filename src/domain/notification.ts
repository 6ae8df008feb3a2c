// What an outbox row carries: everything a mail needs, frozen at the moment the change
// happened (slot numbers stay stable for that mail). Secrets are sealed (TokenService.seal)
// and only opened by the outbox worker right before rendering.

export type MailKind = 'proposal' | 'confirmation' | 'cancellation' | 'ack' | 'help';

export interface SlotView {
  /** 1-based number shown in the mail; the reply grammar refers to it. */
  number: number;
  /** UTC, SPEC §2 output form, e.g. 2031-03-11T14:00:00Z */
  begin: string;
  /** SPEC §2 output form, e.g. 01:30:00 or 1 02:00:00 */
  duration: string;
  /** Stable key of the slot: `${beginMicros}/${durationMicros}` (used for ICS UIDs). */
  key: string;
}

export interface MailPayload {
  kind: MailKind;
  eventId: number;
  title: string;
  recipient: string;
  /** Display name put in From ("Alice via calndro"); null = bot name only. */
  senderName: string | null;
  parties: string[];
  /** Current numbered slot list as shown in this mail. */
  slots: SlotView[];
  /** The chosen slot (confirmation and cancellation of a confirmed event). */
  confirmedSlot?: SlotView;
  /** ICS SEQUENCE for REQUEST/CANCEL. */
  sequence?: number;
  /** Sealed event token of the recipient (opened by the worker), with its expiry. */
  sealedToken?: string;
  tokenExpiresAt?: string;
  /** Invites (REQUEST/CANCEL): sealed rsvp-only token of the meet+ ORGANIZER address. */
  sealedOrganizerToken?: string;
  /** Free-form details for ack/help mails (e.g. which numbers were unknown). */
  details?: {
    kept?: number[];
    unknownNumbers?: number[];
    problem?: string;
    /** Subject / Message-ID of the mail being answered, for threading. */
    inReplyTo?: string;
    subject?: string;
  };
}
