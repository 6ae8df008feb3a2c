// A crash after 250 OK must not lose the reply: a message stored by the SMTP door but not yet
// processed is picked up by the next start, applied once, and retried when processing throws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundProcessor } from '../../../src/mail/inbound/processor.js';
import type { EventStore } from '../../../src/domain/ports.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTestDatabase, usingPostgres } from '../../helpers/database.js';
import { client } from '../../helpers/api.js';
import { addStandardUsers, ALICE, basic, OWNER, tokenFor } from '../../helpers/fixtures.js';
import { tokenHash } from '../../../src/security/tokens.js';

const db = await createTestDatabase();
beforeAll(async () => {
  const t = await startTestServer({}, db);
  await addStandardUsers(t);
  await t.stop();
});
afterAll(() => db.drop());

/** An event with two slots, ALICE notified, and her reply "2" stored as the SMTP door stores it. */
async function storeReply(t: TestServer, name: string, opts: { messageId?: boolean } = {}) {
  const api = client(t.url);
  const slots = [{ begin: '2031-06-01T10:00:00Z', duration: '01:00' }, { begin: '2031-06-02T10:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: name, parties: [ALICE], slots } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
  const token = await tokenFor(t, e.id, ALICE);
  const headers = [`From: ${ALICE}`, `To: reply+${token}@calndro.test`, `Subject: Re: ${name}`];
  if (opts.messageId !== false) headers.push(`Message-ID: <${name}@example.com>`);
  const raw = Buffer.from([...headers, '', '2', ''].join('\r\n'));
  const message = { raw, mailFrom: ALICE, rcptTo: [`reply+${token}@calndro.test`] };
  const stored = await t.server.appDeps.stores.inbound.accept({ ...message, source: 'smtp' });
  expect(stored.duplicate).toBe(false);
  const inboundRow = async (server: TestServer) => (await server.server.appDeps.stores.database.db.inboundMessage.findUnique({ where: { id: stored.id } }))!;
  return { e, message, stored, inboundRow, token };
}

const recoveryCfg = { mailDomain: 'calndro.test', mailFrom: 'calndro@calndro.test', helpPerHour: 3, bounceRowOf: () => null };
const secondSlotOnly = [{ begin: '2031-06-02T10:00:00Z', duration: '01:00:00' }];

it('processes messages stored before a crash at the next start', async () => {
  const first = await startTestServer({}, db);
  // What the SMTP door does before answering 250, and then the process dies.
  const { e, inboundRow, token } = await storeReply(first, 'crash-1');
  // Stored with the token replaced by its hash (SPEC §1): that is all the next start has to go on.
  const row = await inboundRow(first);
  expect(Buffer.from(row.raw).toString('latin1')).not.toContain(token);
  expect(Buffer.from(row.raw).toString('latin1')).toContain(`To: reply+h${tokenHash(token)}@calndro.test`);
  expect(row.rcptTo).toBe(`reply+h${tokenHash(token)}@calndro.test`);
  await first.stop();

  const second = await startTestServer({}, db);
  try {
    await second.server.inbound.idle();
    expect((await client(second.url)('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots).toEqual(secondSlotOnly);
    expect((await inboundRow(second)).status).toBe('applied');
  } finally {
    await second.stop();
  }
});

it('records the outcome in the same write as the change, so the same stored message is never applied twice', async () => {
  const t = await startTestServer({}, db);
  try {
    const { e, message, stored, inboundRow } = await storeReply(t, 'crash-2');
    t.server.inbound.enqueue(stored.id, message);
    await t.server.inbound.idle();
    expect(await inboundRow(t)).toMatchObject({ status: 'applied', reason: 'kept 2', eventId: e.id });
    const prisma = t.server.appDeps.stores.database.db;
    const api = client(t.url);
    const outboxBefore = await prisma.outboxMessage.count({ where: { eventId: e.id } });
    const logBefore = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries.length;
    // What a second instance recovering the same message at the same moment would do: the
    // store refuses the change because the message is no longer 'received'.
    const { inbound, outbox } = t.server.appDeps.stores;
    const other = createInboundProcessor(t.server.appDeps.deps, inbound, outbox, recoveryCfg, { concurrency: 1, read: t.server.mailReader.read });
    other.enqueue(stored.id, message);
    await other.idle();
    expect(await inboundRow(t)).toMatchObject({ status: 'applied', reason: 'kept 2' });
    expect(await prisma.outboxMessage.count({ where: { eventId: e.id } })).toBe(outboxBefore);
    expect((await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries).toHaveLength(logBefore);
  } finally {
    await t.stop();
  }
});

describe('a reply whose processing throws (a fault injected into the event store)', () => {
  const cfg = recoveryCfg;

  /**
   * A processor whose event store fails its first `failures` writes: a database outage, here.
   * `afterCommit`: the write commits and the failure comes after it (a connection lost while
   * the commit was acknowledged), so the retry must find the change already applied.
   */
  function processorFailing(t: TestServer, failures: number, retryDelaysMs: number[], afterCommit = false) {
    const deps = t.server.appDeps.deps;
    const mutate: EventStore['mutate'] = async (id, decide, counts) => {
      const fail = failures-- > 0;
      if (fail && !afterCommit) throw new Error('database unavailable (injected)');
      const result = await deps.events.mutate(id, decide, counts);
      if (fail) throw new Error('connection lost after commit (injected)');
      return result;
    };
    const events = { ...deps.events, mutate };
    const { inbound, outbox } = t.server.appDeps.stores;
    return createInboundProcessor({ ...deps, events }, inbound, outbox, cfg, { concurrency: 1, retryDelaysMs, read: t.server.mailReader.read });
  }

  it('is retried and applied once the fault is gone', async () => {
    const t = await startTestServer({}, db);
    try {
      const { e, message, stored, inboundRow } = await storeReply(t, 'retry-ok');
      const processor = processorFailing(t, 2, [20, 20, 20]);
      processor.enqueue(stored.id, message);
      await processor.idle();
      expect((await inboundRow(t)).status).toBe('applied');
      expect((await client(t.url)('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots).toEqual(secondSlotOnly);
    } finally {
      await t.stop();
    }
  });

  it('is kept with status failed after the last attempt', async () => {
    const t = await startTestServer({}, db);
    try {
      const { message, stored, inboundRow } = await storeReply(t, 'retry-exhausted');
      const processor = processorFailing(t, 99, [20, 20]);
      processor.enqueue(stored.id, message);
      await processor.idle();
      expect(await inboundRow(t)).toMatchObject({ status: 'failed', reason: 'database unavailable (injected)' });
    } finally {
      await t.stop();
    }
  });

  it('without a Message-ID, is applied once when its write committed just before the failure', async () => {
    const t = await startTestServer({}, db);
    try {
      const { e, message, stored, inboundRow } = await storeReply(t, 'retry-no-message-id', { messageId: false });
      const processor = processorFailing(t, 1, [20, 20], true);
      processor.enqueue(stored.id, message);
      await processor.idle();
      // The retry reads the message back: its change recorded it applied, so it is not run again.
      expect(await inboundRow(t)).toMatchObject({ status: 'applied', reason: 'kept 2' });
      const entries = (await client(t.url)('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries as { occurrence: string; effector: string; data: Record<string, unknown> }[];
      const updates = entries.filter((x) => x.occurrence === 'UPDATE' && x.effector === ALICE);
      expect(updates).toHaveLength(1);
      expect(updates[0]!.data).toMatchObject({ via: 'email', inbound_id: stored.id });
      expect(updates[0]!.data.message_id).toBeUndefined();
    } finally {
      await t.stop();
    }
  });
});

describe('recovery of a large backlog', () => {
  const cfg = recoveryCfg;
  // Past the 10,000 the old recovery read at once. On PostgreSQL (~100 stored messages/s here
  // through Prisma) a smaller backlog: the bounded pages asked for are what fails there without paging.
  const BACKLOG = usingPostgres() ? 1_250 : 10_050;

  it('processes every stored message, beyond the first 10,000, reading bounded pages', async () => {
    const t = await startTestServer({}, db);
    try {
      const prisma = t.server.appDeps.stores.database.db;
      // What a long outage leaves behind: stored, never processed (mail without a token: quarantined).
      const rows = Array.from({ length: BACKLOG }, (_, i) => ({
        dedupeKey: `<backlog-${i}@example.com>`, source: 'smtp', mailFrom: 'x@example.com', rcptTo: 'bot@calndro.test',
        raw: new Uint8Array(Buffer.from(`From: x@example.com\r\nTo: bot@calndro.test\r\nMessage-ID: <backlog-${i}@example.com>\r\n\r\n1\r\n`)),
      }));
      for (let i = 0; i < rows.length; i += 2_000) await prisma.inboundMessage.createMany({ data: rows.slice(i, i + 2_000) });
      const { inbound, outbox } = t.server.appDeps.stores;
      const asked: number[] = [];
      const store = { ...inbound, unprocessed: async (limit: number, afterId?: number) => {
        asked.push(limit);
        return inbound.unprocessed(limit, afterId);
      } };
      const processor = createInboundProcessor(t.server.appDeps.deps, store, outbox, cfg, { concurrency: 32, read: t.server.mailReader.read });
      await processor.recover();
      await processor.idle();
      expect(await prisma.inboundMessage.count({ where: { dedupeKey: { startsWith: '<backlog-' }, status: 'received' } })).toBe(0);
      expect(await prisma.inboundMessage.count({ where: { dedupeKey: { startsWith: '<backlog-' }, status: 'quarantined' } })).toBe(BACKLOG);
      expect(Math.max(...asked)).toBeLessThanOrEqual(500);
      expect(asked.length).toBeGreaterThan(2);
    } finally {
      await t.stop();
    }
  }, 120_000);
});
