// Retention (SPEC §13) on a real database file or PostgreSQL, with durations in seconds and a
// clock the test moves on: processed raw inbound mail is reduced to its metadata, sent outbox
// rows (not bounced ones), expired tokens and API keys and drafts are purged, in bounded batches,
// by one instance at a time, on a schedule that survives a restart; the event log stays readable
// over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInjectApp, type InjectApp } from '../../helpers/inject-app.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../../helpers/database.js';
import { startTestServer, testConfig } from '../../helpers/server.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, outboxRows, PASSWORD, tokenFor } from '../../helpers/fixtures.js';
import { openStores, type Stores } from '../../../src/db/index.js';
import { startRetention } from '../../../src/scheduler/retention.js';
import { createInboundProcessor } from '../../../src/mail/inbound/processor.js';
import { readInbound } from '../../../src/mail/inbound/read-inbound.js';
import type { InboundStatus } from '../../../src/mail/inbound/ports.js';
import type { Outcome } from '../../../src/mail/outbound/ports.js';
import { createBounceKeys } from '../../../src/security/bounce-keys.js';
import { deliveryReport } from '../../helpers/delivery-report.js';
import { followUpEvent } from '../../../src/domain/events/follow-up-event.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ENV = {
  INBOUND_RETENTION: '60s', OUTBOX_RETENTION: '60s', TOKEN_RETENTION: '60s', RETENTION_BATCH_SIZE: '3', RETENTION_INTERVAL: '10m',
  EVENT_TOKEN_TTL_DAYS: '1', API_TOKEN_TTL: '30s', DRAFT_TTL: '10m',
};
const SLOTS = [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }, { begin: '2031-03-12T14:00:00Z', duration: '01:00' }];

/** The clock of the stores, the domain and the job: it moves only when the test moves it. */
function testClock() {
  let at = Date.now();
  return { now: () => new Date(at), advance: (ms: number) => void (at += ms) };
}

/** One retention run on `stores`, as a server would start it; the job is stopped after it. */
async function runRetention(db: TestDatabase, stores: Stores, now: () => Date) {
  const job = startRetention(testConfig(db, 8000, ENV), stores, now);
  try {
    return await job.runNow();
  } finally {
    await job.stop();
  }
}

describe('one instance', () => {
  const clock = testClock();
  let t: InjectApp;
  let db: TestDatabase;
  const retain = () => runRetention(db, t.server.appDeps.stores, clock.now);
  beforeAll(async () => {
    t = await buildInjectApp(ENV, clock);
    db = { url: t.config.DATABASE_URL, dataDir: t.config.DATA_DIR, drop: async () => {} };
    await addStandardUsers(t);
  });
  afterAll(() => t?.stop());

  /** Mail as the SMTP door stores it, processed by the inbound pipeline; its stored row once done. */
  function inboundPipeline() {
    const { stores } = t.server.appDeps;
    const bounceKeys = createBounceKeys(t.server.appDeps.secretKey, t.config.MAIL_DOMAIN);
    const processor = createInboundProcessor(t.server.appDeps.deps, stores.inbound, stores.outbox,
      { mailDomain: t.config.MAIL_DOMAIN, mailFrom: t.config.MAIL_FROM, helpPerHour: 3, bounceRowOf: bounceKeys.rowOf }, { concurrency: 1, read: readInbound });
    const receive = async (raw: string, rcpt: string, mailFrom: string | null) => {
      const message = { raw: Buffer.from(raw), mailFrom, rcptTo: [rcpt] };
      const { id } = await stores.inbound.accept({ ...message, source: 'smtp' });
      processor.enqueue(id, message);
      await processor.idle();
      return (await stores.database.db.inboundMessage.findUnique({ where: { id } }))!;
    };
    return { receive, bounceKeys, stop: () => processor.stop() };
  }

  const rawMail = (name: string) => Buffer.from([`From: ${ALICE}`, 'To: new@calndro.test', `Message-ID: <${name}@example.com>`,
    `Subject: ${name}`, '', `body of ${name}`, ''].join('\r\n'));
  async function stored(name: string, status?: InboundStatus) {
    const { inbound } = t.server.appDeps.stores;
    const { id } = await inbound.accept({ raw: rawMail(name), source: 'smtp', mailFrom: ALICE, rcptTo: ['new@calndro.test'] });
    if (status) await inbound.finish(id, status, `reason of ${name}`, null);
    return id;
  }

  it('reduces processed inbound mail older than INBOUND_RETENTION to its metadata, in batches; newer and unprocessed mail stays whole', async () => {
    const old: number[] = [];
    for (let i = 0; i < 10; i++) old.push(await stored(`old-${i}`, 'quarantined'));
    const unprocessed = await stored('old-unprocessed');
    clock.advance(2 * MINUTE);
    const fresh = await stored('fresh', 'ignored');

    const report = await retain();
    // Ten rows at three per statement: four batches, the last one short.
    expect(report).toMatchObject({ complete: true, inbound: { rows: 10, batches: 4 } });
    const rows = await t.server.appDeps.stores.database.db.inboundMessage.findMany({ where: { id: { in: [...old, unprocessed, fresh] } }, orderBy: { id: 'asc' } });
    for (const [i, row] of rows.slice(0, 10).entries()) {
      expect(row.raw.length).toBe(0);
      expect(row.reducedAt).toEqual(clock.now());
      expect(row).toMatchObject({ dedupeKey: `<old-${i}@example.com>`, source: 'smtp', mailFrom: ALICE, rcptTo: 'new@calndro.test',
        status: 'quarantined', reason: `reason of old-${i}` });
      expect(row.processedAt).not.toBeNull();
    }
    const [waiting, kept] = rows.slice(10);
    expect(Buffer.from(waiting!.raw).toString()).toContain('body of old-unprocessed');
    expect(waiting).toMatchObject({ status: 'received', reducedAt: null });
    expect(Buffer.from(kept!.raw).toString()).toContain('body of fresh');
    expect(kept!.reducedAt).toBeNull();
    // The Message-ID is kept: the same mail arriving again is still known.
    expect((await t.server.appDeps.stores.inbound.accept({ raw: rawMail('old-3'), source: 'smtp', mailFrom: ALICE, rcptTo: ['new@calndro.test'] })).duplicate).toBe(true);
  });

  it('purges sent outbox rows, then expired tokens and API keys; pending, failed and fresh rows stay; the log reads the same over HTTP; a bounce for a purged row is ignored', async () => {
    clock.advance(11 * MINUTE); // the previous run's interval
    const { stores } = t.server.appDeps;
    const { db: prisma } = stores.database;
    const { receive, bounceKeys, stop } = inboundPipeline();
    /** Delivers every due row: the last one claimed fails for good when `failLast`. */
    const deliverAll = async (failLast = false) => {
      const rows = await stores.outbox.claim(100, MINUTE);
      const outcomes: Outcome[] = rows.map((r, i) => ({ id: r.id, eventId: r.eventId, recipient: r.recipient, messageId: r.messageId, kind: r.kind,
        ...(failLast && i === rows.length - 1 ? { result: 'failed', error: '550 no such user' } : { result: 'sent' }) }));
      await stores.outbox.settle(outcomes, new Map(rows.map((r) => [r.id, r.attempts])));
      return rows.map((r) => r.id);
    };
    const api = t.api;
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Retention', parties: [ALICE, BOB], slots: SLOTS } })).body;
    const notify = async (parties: string[]) => {
      const slots = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots;
      expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties, slots } })).status).toBe(202);
    };
    await notify([ALICE, BOB]);
    const token = await tokenFor(t, e.id, ALICE);
    const reply = await receive([`From: ${ALICE}`, `To: reply+${token}@calndro.test`, 'Subject: Re: Retention', 'Message-ID: <alice-answer@example.com>', '', '1', ''].join('\r\n'),
      `reply+${token}@calndro.test`, ALICE);
    expect(reply.status).toBe('applied');
    const firstRound = await deliverAll(true);
    const failedRow = firstRound.at(-1)!;
    const sentRows = firstRound.slice(0, -1);
    // Sent by now, but with a token valid for a day: a reply to one of them is still read against its list.
    await notify([BOB]);
    const laterRow = (await deliverAll())[0]!;
    await notify([BOB]);
    const key = (await api('POST', '/api-token-auth/', { body: { username: OWNER, password: PASSWORD } })).body.token as string;
    expect(key).toBeTruthy();
    const logBefore = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body;
    expect(logBefore.entries.map((x: { occurrence: string }) => x.occurrence)).toEqual(expect.arrayContaining(['NOTIFY', 'UPDATE', 'DELIVERED', 'FAILED']));
    const statusOf = async () => new Map((await prisma.outboxMessage.findMany({ where: { eventId: e.id } })).map((r) => [r.id, r.status]));
    const before = await statusOf();
    expect(sentRows.length).toBeGreaterThanOrEqual(3);
    expect(sentRows.every((id) => before.get(id) === 'sent')).toBe(true);
    const withoutToken = (await prisma.outboxMessage.findMany({ where: { id: { in: sentRows }, tokenHash: null } })).map((r) => r.id);

    // Past OUTBOX_RETENTION and TOKEN_RETENTION (the API key expired after 30 s), within the event tokens' day.
    clock.advance(2 * MINUTE);
    const first = (await retain())!;
    expect(first).toMatchObject({ complete: true, outbox: { rows: withoutToken.length }, eventTokens: { rows: 0 }, apiKeys: { rows: 1, batches: 1 } });
    const afterFirst = await statusOf();
    expect([...before.keys()].filter((id) => !afterFirst.has(id)).sort()).toEqual(withoutToken.sort());
    expect(await prisma.apiToken.count()).toBe(0);
    expect((await api('GET', '/', { auth: { token: key } })).status).toBe(401);

    // A day on, the event tokens have been expired longer than TOKEN_RETENTION: they go, and so do the mails that carried them.
    clock.advance(DAY);
    const freshRow = (await deliverAll())[0]!; // the last notice to BOB goes out only now
    await notify([ALICE]); // pending, with a new token
    const second = (await retain())!;
    expect(second.complete).toBe(true);
    expect(second.eventTokens.rows).toBeGreaterThanOrEqual(4);
    expect(second.eventTokens.batches).toBeGreaterThan(1);
    const afterSecond = await statusOf();
    for (const id of [...sentRows, laterRow]) expect(afterSecond.has(id)).toBe(false);
    expect(afterSecond.get(failedRow)).toBe('failed');
    expect(afterSecond.get(freshRow)).toBe('sent');
    expect([...afterSecond.values()].filter((s) => s === 'pending')).toHaveLength(1);
    const tokens = await prisma.eventToken.findMany({ where: { eventId: e.id } });
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((x) => x.expiresAt > clock.now())).toBe(true);

    // The log is what it was (entries written since come after), and the reply it names is still there, reduced.
    const logAfter = await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) });
    expect(logAfter.status).toBe(200);
    expect(logAfter.body.entries.slice(0, logBefore.entries.length)).toEqual(logBefore.entries);
    // The answer by reply: logged with the stored message it came in.
    const replyEntry = logAfter.body.entries.find((x: { data: { inbound_id?: number } }) => x.data.inbound_id !== undefined);
    const replyRow = await prisma.inboundMessage.findUnique({ where: { id: replyEntry.data.inbound_id } });
    expect(replyRow).toMatchObject({ id: reply.id, status: 'applied', mailFrom: ALICE, dedupeKey: '<alice-answer@example.com>' });
    expect(replyRow!.raw.length).toBe(0);

    // A delivery report at the VERP address of a purged row: recorded and ignored, nothing logged.
    const bounce = await receive(deliveryReport('<gone@calndro.test>', ALICE), bounceKeys.address(sentRows[0]!), null);
    expect(bounce).toMatchObject({ status: 'bounce', reason: expect.stringMatching(new RegExp(`outbox row ${sentRows[0]}, which is not a sent mail`)) });
    const logLast = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries;
    expect(logLast.some((x: { occurrence: string }) => x.occurrence === 'BOUNCED')).toBe(false);
    await stop();
  });

  it('deletes drafts TOKEN_RETENTION after they expired and a day after they started, sent, cancelled or not; open and younger ones stay; a sent draft\'s steps stay in its event\'s log over HTTP', async () => {
    const { stores } = t.server.appDeps;
    const { db: prisma } = stores.database;
    const { receive, stop } = inboundPipeline();
    let n = 0;
    const mail = (to: string, subject: string, body: string) => [`From: ${OWNER}`, `To: ${to}`, `Cc: ${BOB}`, `Subject: ${subject}`,
      `Message-ID: <draft-${++n}@example.com>`, '', body, ''].join('\r\n');
    /** A draft started by mail to new@ (DRAFT_TTL 10 minutes), and the reply address of its summary. */
    const start = async (title: string) => {
      expect((await receive(mail('new@calndro.test', title, 'Tue 11 Mar 2031 14:00-15:00'), 'new@calndro.test', OWNER)).status).toBe('answered');
      const draft = (await prisma.draft.findFirst({ where: { title }, orderBy: { id: 'desc' } }))!;
      const summary = (await outboxRows(t)).filter((r) => r.kind === 'draft-summary' && r.payload.draft?.id === draft.id).at(-1)!;
      return { id: draft.id, address: `reply+${t.server.appDeps.openSealed(summary.payload.sealedToken!)}@calndro.test` };
    };
    const reply = (d: { address: string }, body: string) => receive(mail(d.address, 'Re: draft', body), d.address, OWNER);

    const sent = await start('Sent draft');
    expect((await reply(sent, 'send')).status).toBe('applied');
    const eventId = (await prisma.draft.findUnique({ where: { id: sent.id } }))!.eventId!;
    const cancelled = await start('Cancelled draft');
    expect((await reply(cancelled, 'cancel')).status).toBe('applied');
    const expired = await start('Expired draft');
    const forgotten = await start('Forgotten draft'); // never answered: 'open' in its row, past its expiry
    clock.advance(10 * MINUTE + 1);
    expect((await reply(expired, 'send')).status).toBe('answered'); // "this draft expired"
    // Past TOKEN_RETENTION after their expiry, but started within the day ORGANIZE_PER_DAY counts: all stay.
    clock.advance(2 * MINUTE);
    expect(await retain()).toMatchObject({ complete: true, drafts: { rows: 0, batches: 1 } });
    expect(await prisma.draft.count()).toBe(4);
    clock.advance(DAY);
    // Expired 30 s before the run, less than TOKEN_RETENTION ago: it stays.
    clock.advance(30_000);
    const younger = await start('Younger draft');
    expect((await reply(younger, 'cancel')).status).toBe('applied');
    clock.advance(10 * MINUTE);
    const open = await start('Open draft');
    clock.advance(30_000);
    const statuses = async () => new Map((await prisma.draft.findMany()).map((d) => [d.id, d.status]));
    expect(await statuses()).toEqual(new Map([[sent.id, 'sent'], [cancelled.id, 'cancelled'], [expired.id, 'expired'], [forgotten.id, 'open'],
      [younger.id, 'cancelled'], [open.id, 'open']]));

    const report = (await retain())!;
    // Four drafts at three per statement: two batches.
    expect(report).toMatchObject({ complete: true, drafts: { rows: 4, batches: 2 } });
    expect(await statuses()).toEqual(new Map([[younger.id, 'cancelled'], [open.id, 'open']]));

    // The event made from the sent draft still shows the draft's steps, from its own log.
    const log = await t.api('GET', `/${eventId}/log/`, { auth: basic(OWNER) });
    expect(log.status).toBe(200);
    expect(log.body.entries[0]).toMatchObject({ occurrence: 'UPDATE', data: { opened: 'created', draft: sent.id } });
    expect(log.body.entries[0].data.draft_steps).toEqual([
      expect.objectContaining({ what: 'start', messageId: '<draft-1@example.com>' }),
      expect.objectContaining({ what: 'send', messageId: '<draft-2@example.com>' }),
    ]);
    // A reply to a deleted draft's address: an unknown token, quarantined without an answer.
    const pending = await prisma.outboxMessage.count();
    expect(await reply(sent, 'send')).toMatchObject({ status: 'quarantined', reason: 'unknown token' });
    expect(await prisma.outboxMessage.count()).toBe(pending);

    // A day on, both remaining drafts are past the cap's window and expired longer than TOKEN_RETENTION.
    clock.advance(DAY);
    expect(await retain()).toMatchObject({ complete: true, drafts: { rows: 2, batches: 1 } });
    expect(await statuses()).toEqual(new Map());
    await stop();
  });

  it('keeps a bounced outbox row past OUTBOX_RETENTION, its token expired: the follow-up still reminds nobody whose mail bounced (SPEC §11)', async () => {
    const { stores } = t.server.appDeps;
    const { db: prisma } = stores.database;
    const { receive, bounceKeys, stop } = inboundPipeline();
    const respondBy = new Date(clock.now().getTime() + 10 * DAY).toISOString();
    const e = (await t.api('POST', '/', { auth: basic(OWNER), body: { title: 'Bounced', parties: [ALICE, BOB], slots: SLOTS, respond_by: respondBy } })).body;
    const slots = (await t.api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots;
    expect((await t.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots } })).status).toBe(202);
    const rows = await stores.outbox.claim(100, MINUTE);
    await stores.outbox.settle(rows.map((r): Outcome => ({ id: r.id, eventId: r.eventId, recipient: r.recipient, messageId: r.messageId, kind: r.kind, result: 'sent' })),
      new Map(rows.map((r) => [r.id, r.attempts])));
    const toAlice = rows.find((r) => r.eventId === e.id && r.recipient === ALICE)!;
    const toBob = rows.find((r) => r.eventId === e.id && r.recipient === BOB)!;
    // ALICE's notice bounces, reported at its VERP address.
    const bounce = await receive(deliveryReport(toAlice.messageId, ALICE), bounceKeys.address(toAlice.id), null);
    expect(bounce).toMatchObject({ status: 'bounce', reason: `outbox row ${toAlice.id} bounced` });

    // Two days on, both rows are past OUTBOX_RETENTION and their tokens (a day's) expired.
    clock.advance(2 * DAY);
    expect(await retain()).toMatchObject({ complete: true });
    expect(await prisma.outboxMessage.findUnique({ where: { id: toBob.id } })).toBeNull();
    expect(await prisma.outboxMessage.findUnique({ where: { id: toAlice.id } })).toMatchObject({ status: 'bounced', recipient: ALICE });

    // Past half the time to respond_by: BOB is reminded, ALICE (her mail bounced) is not.
    clock.advance(4 * DAY);
    const step = await followUpEvent(t.server.appDeps.deps, e.id);
    expect(step.reminded).toEqual([BOB]);
    await stop();
  });
});

describe('one schedule for every instance', () => {
  const clock = testClock();
  let db: TestDatabase;
  const open = () => openStores(db.url, { mailDomain: 'calndro.test', clock });
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('lets one of two instances on the same database take a run; a claim whose holder died is taken over when it runs out', async () => {
    // PostgreSQL: two instances, each with its own pool. SQLite serves one process (db/serial.ts),
    // so there the two jobs share its stores, as two workers in that process would.
    const a = await open();
    const b = usingPostgres() ? await open() : a;
    try {
      // Two instances start together on a database that has never run the job.
      const runs = await Promise.all([runRetention(db, a, clock.now), runRetention(db, b, clock.now)]);
      expect(runs.filter((r) => r !== null)).toHaveLength(1);
      // Eight claims at once (the row exists for none of them): exactly one holder.
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).schedule.claim('race', `holder-${i}`, MINUTE)));
      expect(claims.filter((c) => c.claimed)).toHaveLength(1);

      expect(await a.schedule.claim('takeover', 'A', MINUTE)).toEqual({ claimed: true });
      expect(await b.schedule.claim('takeover', 'B', MINUTE)).toEqual({ claimed: false, retryAt: new Date(clock.now().getTime() + MINUTE) });
      clock.advance(MINUTE + 1); // A died: its claim runs out
      expect(await b.schedule.claim('takeover', 'B', MINUTE)).toEqual({ claimed: true });
      expect(await a.schedule.renew('takeover', 'A', MINUTE)).toBe(false);
      await a.schedule.finish('takeover', 'A', new Date(0));
      expect(await a.schedule.claim('takeover', 'A', MINUTE)).toMatchObject({ claimed: false });
      await b.schedule.finish('takeover', 'B', clock.now());
      expect(await a.schedule.claim('takeover', 'A', MINUTE)).toEqual({ claimed: true });
    } finally {
      await a.close();
      if (b !== a) await b.close();
    }
  });

  it('keeps the due time across a restart, and a run cut short by stopping stays due', async () => {
    const first = await open();
    clock.advance(11 * MINUTE);
    // Ten expired API keys, deleted three at a time; the job is stopped as it starts.
    const user = await first.database.db.user.create({ data: { email: 'keys@example.com' } });
    await first.database.db.apiToken.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ userId: user.id, keyHash: `k${i}`, expiresAt: new Date(clock.now().getTime() - 2 * MINUTE) })),
    });
    const job = startRetention(testConfig(db, 8000, ENV), first, clock.now);
    const cut = job.runNow();
    await job.stop();
    expect(await cut).toMatchObject({ complete: false, apiKeys: { rows: 3, batches: 1 } });
    expect(await first.database.db.scheduledJob.findUnique({ where: { name: 'retention' } }))
      .toMatchObject({ dueAt: clock.now(), claimedBy: null, claimedUntil: null });
    await first.close();

    // The next start resumes it at once and finishes; the job is then due an interval later.
    const second = await open();
    try {
      expect(await runRetention(db, second, clock.now)).toMatchObject({ complete: true, apiKeys: { rows: 7, batches: 3 } });
      const dueAt = new Date(clock.now().getTime() + 10 * MINUTE);
      expect(await second.database.db.scheduledJob.findUnique({ where: { name: 'retention' } })).toMatchObject({ dueAt });
    } finally {
      await second.close();
    }
    const third = await open();
    try {
      expect(await runRetention(db, third, clock.now)).toBeNull();
      clock.advance(10 * MINUTE);
      expect(await runRetention(db, third, clock.now)).toMatchObject({ complete: true });
    } finally {
      await third.close();
    }
  });
});

describe('the server', () => {
  it('runs the retention job from its start and leaves it unclaimed, due an interval later, when it stops', async () => {
    const db = await createTestDatabase();
    const t = await startTestServer(ENV, db);
    let dueAt: Date;
    try {
      // Joins the run the start began, or finds it done.
      await t.server.retention.runNow();
      dueAt = (await t.server.appDeps.stores.database.db.scheduledJob.findUnique({ where: { name: 'retention' } }))!.dueAt;
      expect(dueAt.getTime()).toBeGreaterThan(Date.now() + 9 * MINUTE);
    } finally {
      await t.stop();
    }
    const after = await openStores(db.url, { mailDomain: 'calndro.test' });
    try {
      expect(await after.database.db.scheduledJob.findUnique({ where: { name: 'retention' } })).toMatchObject({ dueAt, claimedBy: null, claimedUntil: null });
      expect(await after.schedule.claim('retention', 'next start', MINUTE)).toEqual({ claimed: false, retryAt: dueAt });
    } finally {
      await after.close();
      await db.drop();
    }
  });
});
