// One clock, injected (issue 9): every row the stores write is stamped from the clock handed to
// buildDeps, on both databases, so time-driven work (retries, reminders, retention) can be run
// on a clock of the test's own.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildInjectApp, type InjectApp } from '../../helpers/inject-app.js';
import { addStandardUsers, ALICE, basic, OWNER } from '../../helpers/fixtures.js';

let current = new Date('2031-01-02T03:04:05.678Z');
const clock = { now: () => new Date(current.getTime()) };
let t: InjectApp;

beforeAll(async () => {
  t = await buildInjectApp({}, clock);
  await addStandardUsers(t);
});
afterAll(() => t?.stop());

it('stamps events, log entries, tokens, outbox rows, users and inbound mail with the injected clock', async () => {
  const at = clock.now();
  const slots = [{ begin: '2031-06-01T10:00:00Z', duration: '01:00' }];
  const e = (await t.api('POST', '/', { auth: basic(OWNER), body: { title: 'Clocked', parties: [ALICE, 'new-party@example.org'], slots } })).body;
  expect((await t.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } })).status).toBe(202);
  const { inbound, database } = t.server.appDeps.stores;
  const stored = await inbound.accept({ raw: Buffer.from('Message-ID: <clocked@example.com>\r\n\r\n1\r\n'), source: 'smtp', mailFrom: null, rcptTo: [] });
  await inbound.finish(stored.id, 'quarantined', 'test', null);

  const db = database.db;
  const event = (await db.event.findUnique({ where: { id: e.id } }))!;
  expect([event.createdAt, event.updatedAt]).toEqual([at, at]);
  expect((await db.logEntry.findMany({ where: { eventId: e.id } })).map((l) => l.when)).toEqual([at, at]);
  const outbox = await db.outboxMessage.findMany({ where: { eventId: e.id } });
  expect(outbox.length).toBeGreaterThan(0);
  for (const row of outbox) expect([row.createdAt, row.nextAttemptAt]).toEqual([at, at]);
  for (const token of await db.eventToken.findMany({ where: { eventId: e.id } })) expect(token.createdAt).toEqual(at);
  expect((await db.user.findUnique({ where: { email: 'new-party@example.org' } }))!.createdAt).toEqual(at);
  const row = (await db.inboundMessage.findUnique({ where: { id: stored.id } }))!;
  expect([row.createdAt, row.processedAt]).toEqual([at, at]);

  current = new Date(current.getTime() + 90_000);
  expect((await t.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Clocked again' } })).status).toBe(202);
  expect((await db.event.findUnique({ where: { id: e.id } }))!.updatedAt).toEqual(clock.now());
});
