// 2,000+ malformed or hostile messages through the SMTP door: the process stays up, every
// accepted message ends applied, answered, ignored or quarantined, and memory stays bounded.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';
import { client } from '../../helpers/api.js';
import { freePort } from '../../helpers/free-ports.js';
import { hostileMessages } from '../../helpers/hostile-mail.js';
import { sendAll } from '../../helpers/raw-smtp.js';
import { addStandardUsers, ALICE, basic, OWNER } from '../../helpers/fixtures.js';

let t: TestServer;
let catcher: MailCatcher;
let smtpPort: number;

beforeAll(async () => {
  catcher = await startMailCatcher();
  smtpPort = await freePort();
  t = await startTestServer({ OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort), OUTBOX_POLL_MS: '100' });
  await addStandardUsers(t);
});
afterAll(async () => {
  await t?.stop();
  await catcher?.stop();
});

it('survives 2,200 hostile messages; each ends in a final state; memory stays bounded', async () => {
  const api = client(t.url);
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: [{ begin: '2031-01-01T10:00:00Z', duration: '01:00' }, { begin: '2031-01-02T10:00:00Z', duration: '01:00' }] } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
  const mail = await catcher.waitFor((m) => m.envelope.to.includes(ALICE), 10_000);
  const replyTo = mail.parsed.replyTo!.value[0]!.address!;
  const targets = [replyTo, `reply+${'a'.repeat(40)}@calndro.test`, 'bot@calndro.test', 'stranger@elsewhere.example'];

  const messages = hostileMessages(2200, targets);
  const rssBefore = process.memoryUsage().rss;
  const codes: number[] = [];
  for (let i = 0; i < messages.length; i += 550) codes.push(...(await sendAll(smtpPort, messages.slice(i, i + 550))));
  await t.server.inbound.idle();
  const rssAfter = process.memoryUsage().rss;

  expect(codes).toHaveLength(2200);
  const accepted = codes.filter((c) => c === 250).length;
  expect(codes.every((c) => c === 250 || c === 550)).toBe(true);
  const rows = await t.server.appDeps.stores.database.db.inboundMessage.groupBy({ by: ['status'], _count: true });
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r._count]));
  // Every stored message reached a final state; none was left behind or failed.
  expect(byStatus.received ?? 0).toBe(0);
  expect(byStatus.failed ?? 0).toBe(0);
  const stored = rows.reduce((n, r) => n + r._count, 0);
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThanOrEqual(accepted); // duplicates (same Message-ID) are stored once
  // The server still answers, and the event did not change from junk.
  const now = await api('GET', `/${e.id}/`, { auth: basic(OWNER) });
  expect(now.status).toBe(200);
  expect((rssAfter - rssBefore) / 1e6).toBeLessThan(300);
}, 240_000);
