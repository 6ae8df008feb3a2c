// What the inbound doors (SMTP listener, IMAP poller, processor) need from storage
// (ARCHITECTURE: every door reaches storage only through ports). src/db implements these.

export type InboundStatus = 'received' | 'applied' | 'answered' | 'quarantined' | 'ignored' | 'bounce' | 'failed';

/** What processing a message did (dispatch.ts and the doors it routes to). */
export interface InboundOutcome {
  status: InboundStatus;
  reason: string | null;
  eventId: number | null;
  /** Written already, with the change the message caused (nothing left to record). */
  recorded?: boolean;
}

export interface InboundRow {
  id: number;
  source: string;
  mailFrom: string | null;
  rcptTo: string;
  raw: Buffer;
  status: string;
}

export interface AcceptedMessage {
  id: number;
  /** One with the same key exists; it is not stored again. */
  duplicate: boolean;
  /** The message as stored: every event token replaced by its stored form (security/token-scrub.ts). */
  raw: Buffer;
  rcptTo: string[];
}

/** Inbound mail, stored raw before it is acknowledged, deduplicated, then marked with its outcome. */
export interface InboundStore {
  /** Stores a message with its tokens replaced by their hashes, deduplicated. */
  accept(input: { raw: Buffer; source: 'smtp' | 'imap'; mailFrom: string | null; rcptTo: string[] }): Promise<AcceptedMessage>;
  /**
   * Records a message the door did not take in (over the size limit): a quarantined row with
   * no content, under `key` (its Message-ID when known). Recorded once per key.
   */
  recordSkipped(input: { key: string; source: 'smtp' | 'imap'; mailFrom: string | null; reason: string }): Promise<void>;
  get(id: number): Promise<InboundRow | null>;
  /** Messages stored but not processed (e.g. the process died in between): up to `limit` ids above `afterId`, ascending. */
  unprocessed(limit: number, afterId?: number): Promise<number[]>;
  /** Records the outcome of a message still 'received' (one whose change recorded it already keeps that). */
  finish(id: number, status: InboundStatus, reason: string | null, eventId: number | null): Promise<void>;
}

/** State for the IMAP door: a lease so that exactly one instance polls a mailbox (SPEC §5), and the UIDVALIDITY/UID checkpoint. */
export interface MailboxState {
  /** True if `holder` now holds the lease `name` until now + ttl (acquired or renewed). */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  checkpoint(mailbox: string): Promise<{ uidValidity: string; lastUid: number } | null>;
  saveCheckpoint(mailbox: string, uidValidity: string, lastUid: number): Promise<void>;
}
