// What the outbound door needs from storage (ARCHITECTURE: every door reaches storage only
// through ports). src/db implements it; the worker and the delivery threads know only this.

/** A claimed outbox row, as the worker delivers it. */
export interface OutboxRow {
  id: number;
  eventId: number | null;
  kind: string;
  recipient: string;
  messageId: string;
  payload: string;
  attempts: number;
  createdAt: Date;
}

/** What became of one delivery attempt. */
export interface Outcome {
  id: number;
  eventId: number | null;
  recipient: string;
  messageId: string;
  kind: string;
  result: 'sent' | 'retry' | 'failed';
  error?: string;
  nextAttemptAt?: Date;
  /** Payload with secrets removed, stored once the mail is out. */
  scrubbedPayload?: string;
}

/** Outbox rows for the worker: claim due rows (safe with several workers on one database), then settle each. */
export interface OutboxStore {
  claim(limit: number, lockMs: number): Promise<OutboxRow[]>;
  /** Gives claimed rows that were not attempted back (the worker is stopping). */
  release(ids: number[]): Promise<void>;
  settle(outcomes: Outcome[], attemptsOf: Map<number, number>): Promise<void>;
  /**
   * A delivery report for this row (found by its VERP address): a row already sent becomes
   * bounced and BOUNCED is logged with the recipient the row was sent to (never one named by
   * the report). Any other row (pending, failed, already bounced, unknown or deleted by retention) is left alone: false.
   */
  markBounced(rowId: number, detail: Record<string, unknown>): Promise<boolean>;
  pendingCount(): Promise<number>;
}
