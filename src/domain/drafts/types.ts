// A draft proposal mailed to new@ (SPEC §10), and what the domain needs from its storage.
import type { Slot } from '../slots.js';
import type { InboundMark, OutboxInput } from '../ports.js';

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

export interface DraftRecord {
  id: number;
  sender: string;
  title: string;
  parties: string[];
  slots: Slot[];
  unreadable: UnreadableLine[];
  /** An IANA zone or a UTC offset such as +01:00 (from the sender's Date header). */
  zone: string;
  status: DraftStatus;
  version: number;
  tokenHash: string;
  eventId: number | null;
  expiresAt: Date;
  createdAt: Date;
  steps: DraftStep[];
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
  zone: string;
}

export interface NewDraft {
  sender: string;
  title: string;
  parties: string[];
  slots: Slot[];
  unreadable: UnreadableLine[];
  zone: string;
  tokenHash: string;
  expiresAt: Date;
  steps: DraftStep[];
}

/** Columns a draft change may set. */
export type DraftSet = Partial<Pick<DraftRecord, 'title' | 'slots' | 'unreadable' | 'zone' | 'status' | 'tokenHash' | 'expiresAt'>>;

/** One write to a draft: its columns, one step appended, the mail it causes, the inbound outcome. */
export interface DraftChange {
  set: DraftSet;
  step: DraftStep;
  outbox?: OutboxInput[];
  inbound?: InboundMark;
}

/** The write that turns a draft into its event, done inside EventStore.create. */
export interface DraftClaim {
  id: number;
  /** The draft's version as read: a draft changed meanwhile is not claimed (busy, retried). */
  version: number;
  steps: DraftStep[];
}

export interface DraftStore {
  /**
   * Stores a new draft with the mail about it (built from the stored draft) and the inbound
   * outcome, in one write; null, writing nothing, when `sender` has `cap.max` drafts since
   * `cap.since` (counted in the same write).
   */
  create(input: NewDraft, cap: { since: Date; max: number }, mail: (draft: DraftRecord) => OutboxInput[], inbound?: InboundMark): Promise<DraftRecord | null>;
  findByTokenHash(hash: string): Promise<DraftRecord | null>;
  get(id: number): Promise<DraftRecord | null>;
  /**
   * Applies `change` if the draft is still at `expectedVersion`; null (nothing written) when it
   * changed meanwhile. A change whose inbound message was processed already throws already_applied.
   */
  update(id: number, expectedVersion: number, change: DraftChange): Promise<DraftRecord | null>;
}
