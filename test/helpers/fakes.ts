// Small in-memory fakes of the ports in src/domain/ports.ts (ARCHITECTURE practice 2):
// domain operations get a Deps object built here instead of module mocks. The fakes keep the
// contracts the domain relies on: EventStore.mutate reads the counts, runs `decide` on the
// stored event and applies its change with log, tokens, outbox rows and the inbound mark, or
// nothing if `decide` throws; stored records are copied in and out, so an operation cannot
// change state except through the ports.
import type { Actor } from '../../src/domain/actor.js';
import { DomainError } from '../../src/domain/errors.js';
import type {
  ApiKeyRecord,
  ApiTokenStore,
  Clock,
  Deps,
  EventChange,
  EventRecord,
  EventStore,
  EventTokenRecord,
  EventTokenStore,
  InboundMark,
  LogEntryInput,
  LogEntryRecord,
  LogStore,
  MailCountQueries,
  MailCountQuery,
  MailCounts,
  MailHistory,
  NewEventToken,
  OutboxInput,
  PasswordHasher,
  TokenService,
  UserRecord,
  UserStore,
} from '../../src/domain/ports.js';
import type { Slot } from '../../src/domain/slots.js';
import type { KeysetPage, LatestPage } from '../../src/domain/paging.js';
import type { DraftStore } from '../../src/domain/ports.js';
import { createCursorCodec } from '../../src/security/page-cursors.js';

const copy = <T>(value: T): T => structuredClone(value);

export class FakeClock implements Clock {
  constructor(public current = new Date('2031-03-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class FakeUsers implements UserStore {
  readonly rows: UserRecord[] = [];

  add(email: string, opts: { staff?: boolean; active?: boolean; passwordHash?: string | null } = {}): UserRecord {
    const active = opts.active ?? true;
    const user: UserRecord = {
      id: this.rows.length + 1,
      email,
      isStaff: opts.staff ?? false,
      isActive: active,
      passwordHash: opts.passwordHash ?? (active ? 'pw:secret123' : null),
      credentialVersion: 0,
    };
    this.rows.push(user);
    return copy(user);
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const u = this.rows.find((r) => r.email === email);
    return u ? copy(u) : null;
  }
  async findById(id: number): Promise<UserRecord | null> {
    const u = this.rows.find((r) => r.id === id);
    return u ? copy(u) : null;
  }
  async ensureUsers(emails: string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const email of emails) {
      const u = this.rows.find((r) => r.email === email) ?? this.add(email, { active: false });
      ids.set(email, u.id);
    }
    return ids;
  }
  async createOrActivate(email: string, passwordHash: string, isStaff: boolean): Promise<UserRecord> {
    const u = this.rows.find((r) => r.email === email);
    if (!u) return this.add(email, { staff: isStaff, passwordHash });
    Object.assign(u, { isActive: true, passwordHash, isStaff, credentialVersion: u.credentialVersion + 1 });
    return copy(u);
  }
  async setPassword(userId: number, passwordHash: string): Promise<void> {
    const u = this.rows.find((r) => r.id === userId);
    if (u) Object.assign(u, { passwordHash, credentialVersion: u.credentialVersion + 1 });
  }
}

export class FakeLog implements LogStore {
  readonly entries: LogEntryRecord[] = [];
  constructor(private readonly clock: Clock) {}

  write(eventId: number, entry: LogEntryInput): void {
    this.entries.push({ ...copy(entry), id: this.entries.length + 1, eventId, when: this.clock.now() });
  }
  async append(eventId: number, entry: LogEntryInput): Promise<void> {
    this.write(eventId, entry);
  }
  async list(eventId: number, { limit, after = 0 }: KeysetPage): Promise<LogEntryRecord[]> {
    return copy(this.entries.filter((e) => e.eventId === eventId && e.id > after).slice(0, limit));
  }
  async latest(eventId: number, { limit, before = Infinity }: LatestPage): Promise<LogEntryRecord[]> {
    return copy(this.entries.filter((e) => e.eventId === eventId && e.id < before).reverse().slice(0, limit));
  }
  of(eventId: number, occurrence?: LogEntryInput['occurrence']): LogEntryRecord[] {
    return this.entries.filter((e) => e.eventId === eventId && (!occurrence || e.occurrence === occurrence));
  }
}

export interface StoredToken extends NewEventToken {
  id: number;
  eventId: number;
}

export interface StoredOutbox extends OutboxInput {
  id: number;
  createdAt: Date;
}

export class FakeEvents implements EventStore {
  readonly records = new Map<number, EventRecord>();
  readonly members = new Map<number, number[]>();
  readonly tokens: StoredToken[] = [];
  readonly outbox: StoredOutbox[] = [];
  /** Outcomes of inbound messages, written with the change each caused. */
  readonly inboundMarks: InboundMark[] = [];
  /** Mail counts asked for (rate limits), in order. */
  readonly countCalls: { recipient: string; kind: string; since: Date }[] = [];
  writes = 0;
  /** Test setup: mails of an event that bounced (the outbox store marks them in production). */
  readonly bounced: { eventId: number; recipient: string }[] = [];

  constructor(private readonly users: FakeUsers, private readonly log: FakeLog, private readonly clock: Clock) {}

  async create(input: Parameters<EventStore['create']>[0]): Promise<EventRecord> {
    const owner = this.users.rows.find((u) => u.id === input.ownerId);
    if (!owner) throw new Error(`FakeEvents.create: no user ${input.ownerId}`);
    const now = this.clock.now();
    const record: EventRecord = {
      id: this.records.size + 1,
      title: input.title,
      ownerId: owner.id,
      ownerEmail: owner.email,
      status: 'open',
      version: 1,
      parties: [...input.parties],
      slots: copy(input.slots),
      answers: {},
      zones: {},
      inviteSequence: 0,
      invitedAt: null,
      respondBy: input.respondBy ? new Date(input.respondBy.getTime()) : null,
      followUp: {},
      followUpAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.records.set(record.id, record);
    this.members.set(record.id, [...input.partyUserIds]);
    this.log.write(record.id, input.log);
    return copy(record);
  }

  /** Test setup: an event in any state, without going through createEvent. */
  seed(partial: Partial<EventRecord> & { ownerId: number; parties: string[]; slots: Slot[] }): EventRecord {
    const owner = this.users.rows.find((u) => u.id === partial.ownerId)!;
    const now = this.clock.now();
    const record: EventRecord = {
      id: this.records.size + 1,
      title: 'Seeded',
      ownerEmail: owner.email,
      status: 'open',
      version: 1,
      answers: {},
      zones: {},
      inviteSequence: 0,
      invitedAt: null,
      respondBy: null,
      followUp: {},
      followUpAt: null,
      createdAt: now,
      updatedAt: now,
      ...copy(partial),
    };
    this.records.set(record.id, record);
    return copy(record);
  }

  async get(id: number): Promise<EventRecord | null> {
    const r = this.records.get(id);
    return r ? copy(r) : null;
  }

  async listVisibleTo(userId: number, all: boolean, { limit, after = 0 }: KeysetPage): Promise<EventRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.id > after && (all || r.ownerId === userId || (this.members.get(r.id) ?? []).includes(userId)))
      .sort((a, b) => a.id - b.id)
      .slice(0, limit)
      .map(copy);
  }

  async mutate<K extends string = never>(id: number, decide: (event: EventRecord | null, counts: MailCounts<K>) => EventChange,
    queries?: MailCountQueries<K>): Promise<EventRecord> {
    const stored = this.records.get(id);
    const counts = {} as MailCounts<K>;
    for (const key of Object.keys(queries ?? {}) as K[]) counts[key] = this.count(id, queries![key]);
    const change = decide(stored ? copy(stored) : null, counts);
    if (!stored) throw new Error(`FakeEvents.mutate: decide accepted missing event ${id}`);
    if (change.inbound && this.inboundMarks.some((m) => m.id === change.inbound!.id)) {
      throw new DomainError('already_applied', 'This message was processed already.');
    }
    this.writes++;
    const now = this.clock.now();
    stored.version++;
    stored.updatedAt = now;
    if (change.title !== undefined) stored.title = change.title;
    if (change.slots) stored.slots = copy(change.slots);
    if (change.status) stored.status = change.status;
    if (change.answers) stored.answers = copy(change.answers);
    if (change.zones) stored.zones = copy(change.zones);
    if (change.inviteSequence !== undefined) stored.inviteSequence = change.inviteSequence;
    if (change.invitedAt) stored.invitedAt = new Date(change.invitedAt.getTime());
    if (change.respondBy !== undefined) stored.respondBy = change.respondBy && new Date(change.respondBy.getTime());
    if (change.followUp) stored.followUp = copy(change.followUp);
    if (change.followUpAt !== undefined) stored.followUpAt = change.followUpAt && new Date(change.followUpAt.getTime());
    if (change.inbound) this.inboundMarks.push(copy(change.inbound));
    for (const entry of change.log) this.log.write(id, entry);
    for (const t of change.tokens ?? []) this.tokens.push({ ...copy(t), id: this.tokens.length + 1, eventId: id });
    for (const o of change.outbox ?? []) this.outbox.push({ ...copy(o), id: this.outbox.length + 1, createdAt: now });
    return copy(stored);
  }

  /** One MailCountQuery about event `eventId`, as the stores answer it. */
  count(eventId: number, q: MailCountQuery): number {
    if (q.of === 'pendingOutbox') return this.outboxOf(eventId).length;
    if (q.of === 'bounced') return this.bounced.filter((b) => b.eventId === eventId && b.recipient === q.recipient).length;
    if (q.of === 'notices') return new Set(this.log.of(eventId, 'NOTIFY').filter((e) => e.effector === q.effector && e.when >= q.since).map((e) => e.when.getTime())).size;
    this.countCalls.push({ recipient: q.recipient, kind: q.kind, since: q.since });
    return this.outbox.filter((o) => o.recipient === q.recipient && o.kind === q.kind && o.createdAt >= q.since
      && (q.anyEvent || o.eventId === eventId)).length;
  }

  outboxOf(eventId: number, kind?: OutboxInput['kind']): StoredOutbox[] {
    return this.outbox.filter((o) => o.eventId === eventId && (!kind || o.kind === kind));
  }
}

export class FakeEventTokens implements EventTokenStore {
  constructor(private readonly events: FakeEvents) {}
  async find(hash: string): Promise<EventTokenRecord | null> {
    const t = this.events.tokens.find((x) => x.hash === hash);
    return t ? { id: t.id, eventId: t.eventId, email: t.email, expiresAt: new Date(t.expiresAt.getTime()), scope: t.scope ?? 'full' } : null;
  }
}

export class FakeApiTokens implements ApiTokenStore {
  readonly keys = new Map<string, { userId: number; expiresAt: Date; credentialVersion: number }>();
  constructor(private readonly users: FakeUsers) {}
  async create(key: { userId: number; keyHash: string; expiresAt: Date; credentialVersion: number }): Promise<void> {
    this.keys.set(key.keyHash, { userId: key.userId, expiresAt: key.expiresAt, credentialVersion: key.credentialVersion });
  }
  async find(keyHash: string): Promise<ApiKeyRecord | null> {
    const k = this.keys.get(keyHash);
    const user = k && (await this.users.findById(k.userId));
    return k && user ? { user, expiresAt: k.expiresAt, credentialVersion: k.credentialVersion } : null;
  }
  async revoke(keyHash: string): Promise<boolean> {
    return this.keys.delete(keyHash);
  }
  async revokeAll(userId: number): Promise<number> {
    const mine = [...this.keys].filter(([, k]) => k.userId === userId);
    for (const [hash] of mine) this.keys.delete(hash);
    return mine.length;
  }
}

export class FakeMailHistory implements MailHistory {
  constructor(private readonly events: FakeEvents) {}
  async countSince(recipient: string, kind: OutboxInput['kind'], since: Date): Promise<number> {
    return this.events.count(0, { of: 'mailsTo', recipient, kind, since, anyEvent: true });
  }
  async mailForToken(tokenHash: string) {
    const o = this.events.outbox.find((x) => x.tokenHash === tokenHash);
    return o && o.eventId !== null ? { eventId: o.eventId, payload: copy(o.payload) } : null;
  }
  async eventsOfMessageIds(): Promise<{ eventId: number; recipient: string; messageId: string }[]> {
    return [];
  }
}

/** Deterministic tokens: 40 hex characters from a counter; hash/fingerprint/seal are readable. */
export class FakeTokens implements TokenService {
  private counter = 0;
  generate(): string {
    this.counter++;
    return this.counter.toString(16).padStart(40, 'a');
  }
  hash(token: string): string {
    return `hash:${token.toLowerCase()}`;
  }
  fingerprint(token: string): string {
    return this.fingerprintOfHash(this.hash(token));
  }
  fingerprintOfHash(hash: string): string {
    return `fp:${hash.slice(-6)}`;
  }
  seal(secret: string): string {
    return `sealed:${secret}`;
  }
}

/** Drafts live only in the real stores: the draft tests run on them (test/integration/db/drafts*). */
const noDrafts: DraftStore = {
  create: () => Promise.reject(new Error('no drafts in the fake world')),
  findByTokenHash: async () => null,
  get: async () => null,
  update: () => Promise.reject(new Error('no drafts in the fake world')),
};

export const fakePasswords: PasswordHasher = {
  hash: async (p) => `pw:${p}`,
  verify: async (p, stored) => stored === `pw:${p}`,
};

export interface World {
  deps: Deps;
  clock: FakeClock;
  users: FakeUsers;
  events: FakeEvents;
  log: FakeLog;
  mail: FakeMailHistory;
  tokens: FakeTokens;
}

export function makeWorld(config: Partial<Deps['config']> = {}): World {
  const clock = new FakeClock();
  const users = new FakeUsers();
  const log = new FakeLog(clock);
  const events = new FakeEvents(users, log, clock);
  const mail = new FakeMailHistory(events);
  const tokens = new FakeTokens();
  const deps: Deps = {
    events,
    users,
    apiTokens: new FakeApiTokens(users),
    eventTokens: new FakeEventTokens(events),
    log,
    mail,
    drafts: noDrafts,
    tokens,
    cursors: createCursorCodec('fake world secret'),
    passwords: fakePasswords,
    clock,
    config: { defaultTimeZone: 'UTC', eventTokenTtlDays: 14, apiTokenTtlSeconds: 30 * 86_400, noticesPerPartyPerHour: 20, outboxPendingPerEvent: 1000,
      organizeByMail: 'users', organizePerDay: 20, draftTtlMs: 7 * 86_400_000, defaultSlotMinutes: 60,
      followUp: { remindAfterMs: 2 * 86_400_000, remindBeforeMs: 86_400_000, remindersMax: 2, autoBook: false, counterDeclineAfterMs: 7 * 86_400_000 }, ...config },
    random: () => 0,
  };
  return { deps, clock, users, events, log, mail, tokens };
}

export const userActor = (user: UserRecord): Actor => ({ kind: 'user', user });

export const tokenActor = (eventId: number, email: string, expiresAt = new Date('2031-04-01T00:00:00Z')): Actor => ({
  kind: 'token',
  eventId,
  email,
  fingerprint: `fp:${email}`,
  expiresAt,
});
