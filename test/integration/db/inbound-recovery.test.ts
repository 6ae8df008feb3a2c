// A crash after 250 OK must not lose the reply: a message stored by the SMTP door but not yet
// processed is picked up by the next start, applied once, and retried when processing throws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundProcessor } from '../../../src/mail/inbound/processor.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTestDatabase } from '../../helpers/database.js';
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
async function storeReply(t: TestServer, name: string) {
  const api = client(t.url);
  const slots = [{ begin: '2031-06-01T10:00:00Z', duration: '01:00' }, { begin: '2031-06-02T10:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: name, parties: [ALICE], slots } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
  const token = await tokenFor(t, e.id, ALICE);
  const raw = Buffer.from([`From: ${ALICE}`, `To: reply+${token}@calndro.test`, 'Subject: Re: slots', `Message-ID: <${name}@example.com>`, '', '2', ''].join('\r\n'));
  const message = { raw, mailFrom: ALICE, rcptTo: [`reply+${token}@calndro.test`] };
  const stored = await t.server.appDeps.stores.inbound.accept({ ...message, source: 'smtp' });
  expect(stored.duplicate).toBe(false);
  const inboundRow = async (server: TestServer) => (await server.server.appDeps.stores.database.db.inboundMessage.findUnique({ where: { id: stored.id } }))!;
  return { e, message, stored, inboundRow, token };
}

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

it('does not apply a reply twice when the process died after the change but before recording the outcome', async () => {
  const first = await startTestServer({}, db);
  const { e, stored, inboundRow } = await storeReply(first, 'crash-2');
  first.server.inbound.enqueue(stored.id);
  await first.server.inbound.idle();
  const prisma = first.server.appDeps.stores.database.db;
  const outboxBefore = await prisma.outboxMessage.count({ where: { eventId: e.id } });
  const logBefore = (await client(first.url)('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries.length;
  // The state a crash in that window leaves: the change committed, the message still 'received'.
  await prisma.inboundMessage.update({ where: { id: stored.id }, data: { status: 'received', reason: null, processedAt: null } });
  await first.stop();

  const second = await startTestServer({}, db);
  try {
    await second.server.inbound.idle();
    expect(await inboundRow(second)).toMatchObject({ status: 'applied', reason: 'already applied before a restart' });
    expect(await second.server.appDeps.stores.database.db.outboxMessage.count({ where: { eventId: e.id } })).toBe(outboxBefore);
    const api = client(second.url);
    expect((await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries).toHaveLength(logBefore);
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots).toEqual(secondSlotOnly);
  } finally {
    await second.stop();
  }
});

describe('a reply whose processing throws (a fault injected into the event store)', () => {
  const cfg = { mailDomain: 'calndro.test', mailFrom: 'calndro@calndro.test', helpPerHour: 3, bounceRowOf: () => null };

  /** A processor whose event store fails its first `failures` reads: a database outage, here. */
  function processorFailing(t: TestServer, failures: number, retryDelaysMs: number[]) {
    const deps = t.server.appDeps.deps;
    const events = { ...deps.events, get: async (id: number) => {
      if (failures-- > 0) throw new Error('database unavailable (injected)');
      return deps.events.get(id);
    } };
    const { inbound, outbox } = t.server.appDeps.stores;
    return createInboundProcessor({ ...deps, events }, inbound, outbox, cfg, { concurrency: 1, retryDelaysMs });
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
});
