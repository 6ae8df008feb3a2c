// What an outbox row carries: everything a mail needs, frozen at the moment the change
// happened (slot numbers stay stable for that mail). Secrets are sealed (TokenService.seal)
// and only opened by the outbox worker right before rendering. Rows already stored may hold an
// older shape: read them with readMailPayload (stored-payload.ts).
import type { SlotSpan } from './slots.js';

/** reminder/summary: SPEC §11. suggestion: a party's proposed time, forwarded to the organizer; suggested: the proposer told so. */
export type MailKind = 'proposal' | 'confirmation' | 'cancellation' | 'ack' | 'help' | 'draft-summary' | 'organizer-help' | 'suggestion' | 'suggested' | 'reminder' | 'summary' | 'decline-counter';

/** What a draft-summary mail says besides the draft itself (SPEC §10). */
export type DraftNotice = 'summary' | 'expired' | 'cancelled' | 'no_times' | 'help' | 'deadline_past';

/** The draft a draft-summary mail is about (there is no event yet: eventId is 0). */
export interface DraftMailFacts {
  id: number;
  notice: DraftNotice;
  /** The sender's zone (IANA name or UTC offset): times are shown in it and in UTC. */
  zone: string;
  unreadable: { line: string; why: string }[];
  expiresAt: string;
  /** The deadline for answers the event will get (SPEC §11), when the mail gave one. */
  respondBy?: string;
}

/** A numbered slot of a mail: numbers only (beginMs, durationMs); text is made when rendering. */
export interface SlotView extends SlotSpan {
  /** 1-based number shown in the mail; the reply grammar refers to it. */
  number: number;
  /** Stable key of the slot: `${beginMicros}/${durationMicros}` (identity and ICS UIDs, never shown). */
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
  /** The recipient's time zone when the mail was queued (IANA or "+09:00"; SPEC §12); absent: UTC. */
  zone?: string;
  /** The chosen slot (confirmation and cancellation of a confirmed event). */
  confirmedSlot?: SlotView;
  /** ICS SEQUENCE for REQUEST/CANCEL. */
  sequence?: number;
  /** Sealed event token of the recipient (opened by the worker), with its expiry. */
  sealedToken?: string;
  tokenExpiresAt?: string;
  /** The event's deadline for answers when the mail was written (ISO instant; SPEC §11); absent: none. */
  respondBy?: string;
  /** Invites (REQUEST/CANCEL): sealed rsvp-only token of the meet+ ORGANIZER address. */
  sealedOrganizerToken?: string;
  /** Free-form details for ack/help mails (e.g. which numbers were unknown). */
  details?: {
    kept?: number[];
    unknownNumbers?: number[];
    problem?: string;
    /** The zone a reply just set, as a person reads it ("Europe/Paris", "UTC+09:00"). */
    zoneSet?: string;
    /** Subject / Message-ID of the mail being answered, for threading. */
    inReplyTo?: string;
    subject?: string;
    /** suggestion/suggested: the times proposed, who proposed them, and from where. */
    suggested?: SlotSpan[];
    proposer?: string;
    suggestedVia?: 'email' | 'calendar';
    /** decline-counter: the COUNTER declined (its UID and SEQUENCE; the time is suggested[0]). */
    counter?: { uid: string; sequence: number };
    /** What the organizer's command did (organizer-help), in words. */
    done?: string;
    /** The organizer commands to list (organizer-help): usage and what it does. */
    commands?: { usage: string; does: string }[];
    /** Reminders (SPEC §11): how many more may follow. */
    remindersLeft?: number;
    /** The organizer's summary: who kept each slot of `slots` (by number), who did not answer. */
    keptBy?: { number: number; parties: string[] }[];
    silent?: string[];
    /** The summary: each party's zone (IANA name or UTC offset), for those who have one. */
    partyZones?: Record<string, string>;
    /** Why the summary went: everyone answered, or the deadline passed. */
    reason?: 'all_answered' | 'deadline';
    /** AUTO_BOOK_AT_DEADLINE: the slot being booked. */
    booking?: number;
  };
  /** Set on draft-summary mails only. */
  draft?: DraftMailFacts;
}
