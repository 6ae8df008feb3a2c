// What the domain needs from the outside world. Implemented by src/db (Prisma) and
// src/security; unit tests can pass small in-memory fakes.
import type { Slot } from './slots.js';
import type { MailPayload } from './notification.js';
import type { CursorCodec, KeysetPage, LatestPage } from './paging.js';
import type { PartyZone } from './zones.js';
import type { DraftRecord, DraftSet, DraftStep, NewDraft } from './drafts/types.js';
import type { FollowUpState } from './follow-up-state.js';

export type { CursorCodec };

export type EventStatus = 'open' | 'confirmed' | 'cancelled';

export interface UserRecord {
  id: number;
  email: string;
  isStaff: boolean;
  isActive: boolean;
  passwordHash: string | null;
  credentialVersion: number;
}

export interface EventRecord {
  id: number;
  title: string;
  ownerId: number;
  ownerEmail: string;
  status: EventStatus;
  version: number;
  parties: string[];
  slots: Slot[];
  /** party e-mail -> slot keys of that party's latest answer */
  answers: Record<string, string[]>;
  /** party (or organizer) e-mail -> that person's time zone, when known (SPEC §12) */
  zones: Record<string, PartyZone>;
  inviteSequence: number;
  invitedAt: Date | null;
  /** The deadline for answers (SPEC §11); null: none. */
  respondBy: Date | null;
  /** Reminders and the summary so far (SPEC §11). */
  followUp: FollowUpState;
  /** When the follow-up worker next has work for this event; null: none. */
  followUpAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LogEntryInput {
  occurrence: 'VIEW' | 'UPDATE' | 'NOTIFY' | 'CONFIRM' | 'CANCEL' | 'DELIVERED' | 'FAILED' | 'BOUNCED' | 'REPLY' | 'RSVP' | 'SUGGEST' | 'REMIND' | 'SUMMARY' | 'DECLINECOUNTER';
  effector: string | null;
  slots: Slot[];
  data: Record<string, unknown>;
}

export interface LogEntryRecord extends LogEntryInput {
  id: number;
  eventId: number;
  when: Date;
}

/** 'full': the party's key everywhere; 'rsvp': only a calendar's iMIP REPLY (meet+ ORGANIZER address). */
export type TokenScope = 'full' | 'rsvp';

export interface NewEventToken {
  hash: string;
  email: string;
  expiresAt: Date;
  /** Absent: 'full'. */
  scope?: TokenScope;
}

export interface EventTokenRecord {
  id: number;
  eventId: number;
  email: string;
  expiresAt: Date;
  scope: TokenScope;
}

export interface OutboxInput {
  eventId: number | null;
  kind: MailPayload['kind'];
  recipient: string;
  payload: MailPayload;
  /** Hash of the token the mail carries, so a reply can be read against this mail's list. */
  tokenHash?: string;
}

/**
 * The outcome of the stored inbound message that caused a change, written in the same write
 * (SPEC §5, idempotent): a message applied before a crash is not applied again.
 */
export interface InboundMark {
  id: number;
  status: 'applied' | 'answered' | 'ignored';
  reason: string;
}

/** Changes EventStore.mutate applies atomically. */
export interface EventChange {
  title?: string;
  slots?: Slot[];
  status?: EventStatus;
  answers?: Record<string, string[]>;
  /** The whole map of zones (setPartyZone). */
  zones?: Record<string, PartyZone>;
  inviteSequence?: number;
  invitedAt?: Date;
  /** null clears the deadline. */
  respondBy?: Date | null;
  /** Set by the follow-up (domain/events/follow-up.ts) on every change, not by operations. */
  followUp?: FollowUpState;
  followUpAt?: Date | null;
  log: LogEntryInput[];
  tokens?: NewEventToken[];
  outbox?: OutboxInput[];
  /** The inbound message this change answers: marked with its outcome unless already processed (then `already_applied`, nothing written). */
  inbound?: InboundMark;
}

export interface EventStore {
  create(input: {
    title: string;
    ownerId: number;
    parties: string[];
    partyUserIds: number[];
    slots: Slot[];
    respondBy: Date | null;
    log: LogEntryInput;
    /** The draft this event is made from (SPEC §10): marked sent in the same write, or `busy` if it changed meanwhile. */
    draft?: DraftClaim;
  }): Promise<EventRecord>;
  get(id: number): Promise<EventRecord | null>;
  /** Up to `page.limit` events the user owns or is a party of (`all`: every event), by id. */
  listVisibleTo(userId: number, all: boolean, page: KeysetPage): Promise<EventRecord[]>;
  /**
   * The one way to change an event: runs `decide` on the event as stored (null: no such event)
   * and applies its change with no other write in between (SQLite: the single writer;
   * PostgreSQL: the event's row lock), so there is nothing to retry. What `decide` throws is
   * rethrown and nothing is written. `decide` must be synchronous and pure apart from tokens.
   */
  mutate<K extends string = never>(id: number, decide: (event: EventRecord | null, counts: MailCounts<K>) => EventChange,
    counts?: MailCountQueries<K>): Promise<EventRecord>;
}

/**
 * A count about mail that a capped write reads under the event's lock (before `decide`), so
 * concurrent writers cannot all pass the same cap. Always about the event being changed.
 */
export type MailCountQuery =
  /** Outbox rows of the event not sent yet (pending or being sent). */
  | { of: 'pendingOutbox' }
  /** NOTIFY rounds (one write each, whatever its recipients) by `effector` since `since`. */
  | { of: 'notices'; effector: string; since: Date }
  /** Mails of `kind` to `recipient` since `since`, for any event (`anyEvent`) or this one. */
  | { of: 'mailsTo'; recipient: string; kind: MailPayload['kind']; since: Date; anyEvent?: boolean }
  /** Mails of this event to `recipient` that bounced. */
  | { of: 'bounced'; recipient: string };
export type MailCountQueries<K extends string> = Record<K, MailCountQuery>;
export type MailCounts<K extends string> = Record<K, number>;

export interface UserStore {
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: number): Promise<UserRecord | null>;
  /** Returns user ids for the addresses, creating inactive users for unknown ones. */
  ensureUsers(emails: string[]): Promise<Map<string, number>>;
  createOrActivate(email: string, passwordHash: string, isStaff: boolean): Promise<UserRecord>;
  setPassword(userId: number, passwordHash: string): Promise<void>;
}

export interface ApiKeyRecord {
  user: UserRecord;
  expiresAt: Date;
  /** The user's credentialVersion when the key was issued. */
  credentialVersion: number;
}

export interface ApiTokenStore {
  /** Stores a new key's hash, and drops the user's keys that expired or predate `credentialVersion`. */
  create(key: { userId: number; keyHash: string; expiresAt: Date; credentialVersion: number }, now: Date): Promise<void>;
  find(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Deletes one key; false when there was none. */
  revoke(keyHash: string): Promise<boolean>;
  /** Deletes every key of the user; returns how many there were. */
  revokeAll(userId: number): Promise<number>;
}

export interface EventTokenStore {
  find(hash: string): Promise<EventTokenRecord | null>;
}

export interface LogStore {
  append(eventId: number, entry: LogEntryInput): Promise<void>;
  /** Up to `page.limit` entries of the event, oldest first. */
  list(eventId: number, page: KeysetPage): Promise<LogEntryRecord[]>;
  /** Up to `page.limit` entries of the event, newest first. */
  latest(eventId: number, page: LatestPage): Promise<LogEntryRecord[]>;
}

export interface TokenService {
  /** 160 random bits as 40 lowercase hex characters. */
  generate(): string;
  hash(token: string): string;
  /** Short non-reversible fingerprint safe to write in logs. */
  fingerprint(token: string): string;
  /** The same fingerprint from the token's hash (a token known only by its stored form). */
  fingerprintOfHash(hash: string): string;
  /** Seal a secret for storage in an outbox row (opened only when sending). */
  seal(secret: string): string;
}

/** What the mail doors need to know about mail already queued or sent. */
export interface MailHistory {
  /** How many mails of `kind` went to `recipient` since `since` (rate limits). */
  countSince(recipient: string, kind: MailPayload['kind'], since: Date): Promise<number>;
  /** The mail that carried the token with this hash: its event and numbered slot list. */
  mailForToken(tokenHash: string): Promise<{ eventId: number; payload: MailPayload } | null>;
  /** Event ids of our own mails with these Message-IDs (threading). */
  eventsOfMessageIds(messageIds: string[]): Promise<{ eventId: number; recipient: string; messageId: string }[]>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export interface DomainConfig {
  defaultTimeZone: string;
  eventTokenTtlDays: number;
  /** Lifetime of an API key from POST /api-token-auth/. */
  apiTokenTtlSeconds: number;
  /** Notices (NOTIFY rounds) one party may cause per event per hour; past it changes apply unannounced. */
  noticesPerPartyPerHour: number;
  /** Unsent outbox rows an event may have; notices that would exceed it are skipped. */
  outboxPendingPerEvent: number;
  /** SPEC §10 ORGANIZE_BY_MAIL: who may organize by mailing new@. */
  organizeByMail: 'users' | 'anyone' | 'off';
  /** Drafts one sender may start per day (ORGANIZE_PER_DAY). */
  organizePerDay: number;
  /** How long a draft waits for its sender's `send` (DRAFT_TTL). */
  draftTtlMs: number;
  /** Length of a time read without one (DEFAULT_SLOT_MINUTES). */
  defaultSlotMinutes: number;
  /** SPEC §11 reminders and the deadline. */
  followUp: FollowUpSettings;
}

export interface FollowUpSettings {
  /** Without respond_by: the first reminder this long after the proposal, the next twice that after it. */
  remindAfterMs: number;
  /** With respond_by: a reminder this long before it (and one at half the time left). */
  remindBeforeMs: number;
  remindersMax: number;
  /** At respond_by, book the slot kept by most parties. */
  autoBook: boolean;
  /** SPEC §12: without a future respond_by, a calendar COUNTER left unanswered this long is declined (DECLINECOUNTER). */
  counterDeclineAfterMs: number;
}

export interface Deps {
  events: EventStore;
  users: UserStore;
  apiTokens: ApiTokenStore;
  eventTokens: EventTokenStore;
  log: LogStore;
  mail: MailHistory;
  drafts: DraftStore;
  tokens: TokenService;
  /** Page cursors (src/security/page-cursors.ts). */
  cursors: CursorCodec;
  passwords: PasswordHasher;
  clock: Clock;
  config: DomainConfig;
  /** Uniform in [0, 1): only for non-secret choices such as generated titles. */
  random: () => number;
}

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
