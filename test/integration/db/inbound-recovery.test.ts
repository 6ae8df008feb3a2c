// A crash after 250 OK must not lose the reply: a message stored by the SMTP door but not yet
// processed is picked up by the next start.
import { afterAll, describe, expect, it } from 'vitest';
import { createInboundProcessor } from '../../../src/mail/inbound/processor.js';
import { startTestServer } from '../../helpers/server.js';
import { createTestDatabase } from '../../helpers/database.js';
import { client } from '../../helpers/api.js';
import { addStandardUsers, ALICE, basic, OWNER, tokenFor } from '../../helpers/fixtures.js';
import { sleep } from '../../helpers/ports.js';

const db = await createTestDatabase();
afterAll(() => db.drop());

it('processes messages stored before a crash at the next start', async () => {
  const first = await startTestServer({}, db);
  await addStandardUsers(first);
  const api = client(first.url);
  const slots = [{ begin: '2031-06-01T10:00:00Z', duration: '01:00' }, { begin: '2031-06-02T10:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
  const token = await tokenFor(first, e.id, ALICE);
  const raw = Buffer.from([`From: ${ALICE}`, `To: reply+${token}@calndro.test`, 'Subject: Re: slots', 'Message-ID: <crash-1@example.com>', '', '2', ''].join('\r\n'));
  // What the SMTP door does before answering 250, and then the process dies.
  const stored = await first.server.appDeps.stores.inbound.accept({ raw, source: 'smtp', mailFrom: ALICE, rcptTo: [`reply+${token}@calndro.test`] });
  expect(stored.duplicate).toBe(false);
  await first.stop();

  const second = await startTestServer({}, db);
  try {
    const api2 = client(second.url);
    for (let i = 0; i < 100; i++) {
      const now = (await api2('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
      if (now.slots.length === 1) break;
      await sleep(50);
    }
    const now = (await api2('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(now.slots).toEqual([{ begin: '2031-06-02T10:00:00Z', duration: '01:00:00' }]);
    const row = await second.server.appDeps.stores.database.db.inboundMessage.findUnique({ where: { id: stored.id } });
    expect(row?.status).toBe('applied');
  } finally {
    await second.stop();
  }
});

it('does not apply a reply twice when the process died after the change but before recording the outcome', async () => {
  const first = await startTestServer({}, db);
  // Same database as the test above: its users are there already.
  const api = client(first.url);
  const slots = [{ begin: '2031-07-01T10:00:00Z', duration: '01:00' }, { begin: '2031-07-02T10:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
  const token = await tokenFor(first, e.id, ALICE);
  const raw = Buffer.from([`From: ${ALICE}`, `To: reply+${token}@calndro.test`, 'Subject: Re: slots', 'Message-ID: <crash-2@example.com>', '', '2', ''].join('\r\n'));
  const stored = await first.server.appDeps.stores.inbound.accept({ raw, source: 'smtp', mailFrom: ALICE, rcptTo: [`reply+${token}@calndro.test`] });
  first.server.inbound.enqueue(stored.id);
  await first.server.inbound.idle();
  const prisma = first.server.appDeps.stores.database.db;
  const outboxBefore = await prisma.outboxMessage.count({ where: { eventId: e.id } });
  const logBefore = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries.length;
  // The state a crash in that window leaves: the change committed, the message still 'received'.
  await prisma.inboundMessage.update({ where: { id: stored.id }, data: { status: 'received', reason: null, processedAt: null } });
  await first.stop();

  const second = await startTestServer({}, db);
  try {
    await second.server.inbound.idle();
    const row = await second.server.appDeps.stores.database.db.inboundMessage.findUnique({ where: { id: stored.id } });
    expect(row).toMatchObject({ status: 'applied', reason: 'already applied before a restart' });
    expect(await second.server.appDeps.stores.database.db.outboxMessage.count({ where: { eventId: e.id } })).toBe(outboxBefore);
    const api2 = client(second.url);
    expect((await api2('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries).toHaveLength(logBefore);
    expect((await api2('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots).toEqual([{ begin: '2031-07-02T10:00:00Z', duration: '01:00:00' }]);
  } finally {
    await second.stop();
  }
});

describe('a reply whose processing throws (a fault injected into the event store)', () => {
  async function setUp(title: string) {
    const t = await startTestServer({}, db);
    const api = client(t.url);
    const slots = [{ begin: '2031-08-01T10:00:00Z', duration: '01:00' }, { begin: '2031-08-02T10:00:00Z', duration: '01:00' }];
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title, parties: [ALICE], slots } })).body;
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
    const token = await tokenFor(t, e.id, ALICE);
    const raw = Buffer.from([`From: ${ALICE}`, `To: reply+${token}@calndro.test`, 'Subject: Re: slots', `Message-ID: <${title}@example.com>`, '', '2', ''].join('\r\n'));
    const message = { raw, mailFrom: ALICE, rcptTo: [`reply+${token}@calndro.test`] };
    const stored = await t.server.appDeps.stores.inbound.accept({ ...message, source: 'smtp' });
    // The event store fails its first `failures` reads: what a database outage looks like here.
    const deps = t.server.appDeps.deps;
    const failing = (failures: number) => ({ ...deps, events: { ...deps.events, get: async (id: number) => {
      if (failures-- > 0) throw new Error('database unavailable (injected)');
      return deps.events.get(id);
    } } });
    const status = async () => (await t.server.appDeps.stores.database.db.inboundMessage.findUnique({ where: { id: stored.id } }))!;
    return { t, api, e, message, stored, failing, status };
  }
  const cfg = { mailDomain: 'calndro.test', mailFrom: 'calndro@calndro.test', allowThreadMatch: false, helpPerHour: 3 };

  it('is retried and applied once the fault is gone', async () => {
    const { t, api, e, message, stored, failing, status } = await setUp('retry-ok');
    try {
      const processor = createInboundProcessor(failing(2), t.server.appDeps.stores.inbound, t.server.appDeps.stores.outbox, cfg, { concurrency: 1, retryDelaysMs: [20, 20, 20] });
      processor.enqueue(stored.id, message);
      await processor.idle();
      expect(await status()).toMatchObject({ status: 'applied' });
      expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('is kept with status failed after the last attempt', async () => {
    const { t, message, stored, failing, status } = await setUp('retry-exhausted');
    try {
      const processor = createInboundProcessor(failing(99), t.server.appDeps.stores.inbound, t.server.appDeps.stores.outbox, cfg, { concurrency: 1, retryDelaysMs: [20, 20] });
      processor.enqueue(stored.id, message);
      await processor.idle();
      expect(await status()).toMatchObject({ status: 'failed', reason: 'database unavailable (injected)' });
    } finally {
      await t.stop();
    }
  });
});
