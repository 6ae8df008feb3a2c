// A draft proposal mailed to new@ (SPEC §10). Its storage port (DraftStore) is in ../ports.ts.
import type { Slot } from '../slots.js';

export type DraftStatus = 'open' | 'sent' | 'cancelled' | 'expired';

/** A line of the mail that did not become a time, and why (unreadable, in the past, ...). */
export interface UnreadableLine {
  line: string;
  why: string;
}

/** What one inbound mail did to a draft (the draft's own log; copied to the event's on send). */
export interface DraftStep {
  what: string;
  messageId: string | null;
  at: string;
}

/** What a mail to new@ was read as (mail/inbound/draft-mail.ts): the input of startDraft. */
export interface DraftReading {
  sender: string;
  /** Subject without Re:/Fwd:; blank → a generated word. */
  title: string;
  /** Every other address in To and Cc, the sender included; never the bot's. */
  parties: string[];
  slots: Slot[];
  unreadable: UnreadableLine[];
  /** An IANA zone or a UTC offset such as +01:00 (from the sender's Date header). */
  zone: string;
  /** The deadline for answers (a `by …` / `deadline: …` line, SPEC §11): the event's respond_by at send. */
  respondBy: Date | null;
}

export interface DraftRecord extends DraftReading {
  id: number;
  status: DraftStatus;
  version: number;
  tokenHash: string;
  eventId: number | null;
  expiresAt: Date;
  createdAt: Date;
  steps: DraftStep[];
}

export interface NewDraft extends DraftReading {
  tokenHash: string;
  expiresAt: Date;
  steps: DraftStep[];
}

/** Columns a draft change may set. */
export type DraftSet = Partial<Pick<DraftRecord, 'title' | 'slots' | 'unreadable' | 'zone' | 'respondBy' | 'status' | 'tokenHash' | 'expiresAt'>>;

