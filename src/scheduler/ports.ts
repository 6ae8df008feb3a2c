// What scheduled work needs from storage (ARCHITECTURE: storage behind ports). src/db implements
// these for SQLite and PostgreSQL; the scheduler knows only this file.

export type ClaimResult = { claimed: true } | { claimed: false; retryAt: Date };

/** One row per job, shared by every instance: when the job is due, and who runs it now. */
export interface JobSchedule {
  /**
   * Takes job `name` for `holder` until now + `claimMs` when it is due (a job never run is due
   * now) and nobody else's claim is running. One conditional write: of several instances at
   * once, at most one gets it. Not taken: when to look again (its due time or the end of the
   * running claim).
   */
  claim(name: string, holder: string, claimMs: number): Promise<ClaimResult>;
  /** Extends `holder`'s claim to now + `claimMs`; false when the claim is no longer `holder`'s. */
  renew(name: string, holder: string, claimMs: number): Promise<boolean>;
  /** Ends `holder`'s run: the job is due again at `dueAt` and unclaimed. Nothing when the claim is no longer `holder`'s. */
  finish(name: string, holder: string, dueAt: Date): Promise<void>;
}

/**
 * Retention (SPEC §13). Each call changes at most `limit` rows in one short write and returns
 * how many it changed; fewer than `limit` means nothing more is due.
 */
export interface RetentionStore {
  /**
   * Inbound messages received before `before` and processed (any status but 'received'): the
   * raw message is dropped; Message-ID, sender, recipients, status, reason, event and times stay.
   */
  reduceInbound(before: Date, limit: number): Promise<number>;
  /**
   * Outbox rows whose mail went out and did not bounce (sent or delivered) before `before`, except
   * those whose event token is still valid at `now`: a reply to such a mail is still read against
   * its slot list. Their DELIVERED/FAILED log entries carry recipient, kind and Message-ID
   * themselves. Bounced rows are never purged: the follow-up counts them (no reminder to an
   * address that bounced, SPEC §11).
   */
  purgeSentOutbox(before: Date, now: Date, limit: number): Promise<number>;
  /** Event tokens that expired before `before`. */
  purgeEventTokens(before: Date, limit: number): Promise<number>;
  /** API keys that expired before `before`. */
  purgeApiKeys(before: Date, limit: number): Promise<number>;
  /**
   * Drafts (SPEC §10) whose expiresAt (the end of their reply+<token> address) is before
   * `before`, whatever their status: past it none can be sent or changed. A sent draft's steps
   * up to its `send` are in its event's first log entry (`draft_steps`); later replies to it
   * changed nothing and keep their inbound row's status and reason.
   */
  purgeDrafts(before: Date, startedBefore: Date, limit: number): Promise<number>;
}

/**
 * Events whose follow-up (SPEC §11 reminders, deadline) is due (Event.followUpAt), taken like
 * outbox rows: a conditional update moves each taken event's due time to now + `claimMs`, so
 * another instance passes it by, and takes it again if this one dies before handling it.
 * Handling it (EventStore.mutate) sets the real next due time.
 */
export interface FollowUpQueue {
  /** Up to `limit` due event ids, soonest due first, each taken by this caller alone. */
  claimDue(limit: number, claimMs: number): Promise<number[]>;
  /** The soonest due time of any event (taken ones included), or null when none is due ever. */
  nextDue(): Promise<Date | null>;
}
