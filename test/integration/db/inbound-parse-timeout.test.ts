// A message that holds its parse thread for ever (INBOUND_PARSE_TIMEOUT, thread-pool.ts), through
// the real SMTP door, processor, parse thread and database. The one seam: the parse thread's
// module is test/fixtures/threads/hang-parse-thread.ts, the real reading except that a message
// with "X-Test-Hang: forever" loops without end, as one that sends a library into an endless
// loop would (the calendar part that did is fixed at its root; this is the defence behind it).
import { afterEach, describe, expect, it, vi } from 'vitest';
import nodemailer from 'nodemailer';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { client } from '../../helpers/api.js';
import { freePort, sleep } from '../../helpers/free-ports.js';
import { until } from '../../helpers/until.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, tokenFor } from '../../helpers/fixtures.js';

vi.mock('../../../src/threads/thread-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/threads/thread-pool.js')>();
  const hang = new URL('../../fixtures/threads/hang-parse-thread.js', import.meta.url);
  return { ...real, createThreadPool: ((opts) => real.createThreadPool(opts.name === 'parse' ? { ...opts, entry: hang } : opts)) as typeof real.createThreadPool };
});

let t: TestServer | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

async function start(env: Record<string, string>) {
  const smtpPort = await freePort();
  t = await startTestServer({ SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort), ORGANIZE_BY_MAIL: 'anyone', ...env });
  await addStandardUsers(t);
  const api = client(t.url);
  const slots = [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }, { begin: '2031-03-12T14:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Review', parties: [ALICE, BOB], slots } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
  const replyTo = `reply+${await tokenFor(t, e.id, ALICE)}@calndro.test`;
  const send = async (from: string, to: string, lines: string[]) => {
    const tr = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      return (await tr.sendMail({ envelope: { from, to: [to] }, raw: [`From: ${from}`, `To: ${to}`, ...lines].join('\r\n') })).response;
    } finally {
      tr.close();
    }
  };
  const hang = (id: string) => send('x@evil.example', 'new@calndro.test', ['Subject: hi', `Message-ID: <${id}@evil.example>`, 'X-Test-Hang: forever', '', 'hello', '']);
  const reply = (id: string, text: string) => send(ALICE, replyTo, ['Subject: Re: Review', `Message-ID: <${id}@example.com>`, '', text, '']);
  const answers = async () => ((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.answers[ALICE] as { begin: string }[]).map((a) => a.begin);
  const rows = () => t!.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'asc' } });
  return { hang, reply, answers, rows, slots };
}


describe('a message that never finishes reading', () => {
  it('is kept as failed after INBOUND_PARSE_TIMEOUT, without retries; a reply sent after it is applied', async () => {
    const s = await start({ INBOUND_PARSE_TIMEOUT: '1s' });
    const sent = performance.now();
    expect(await s.hang('h1')).toMatch(/^250/);
    expect(await s.reply('r1', '2')).toMatch(/^250/);
    const done = await until(async () => {
      const all = await s.rows();
      return all.length === 2 && all.every((r) => r.status !== 'received') && all;
    }, 45_000);
    // Retried, it would wait 1 s + 10 s + 60 s between its reads (each thread's start under tsx takes seconds here).
    expect(performance.now() - sent).toBeLessThan(45_000);
    expect(done.map((r) => [r.dedupeKey, r.status])).toEqual([['<h1@evil.example>', 'failed'], ['<r1@example.com>', 'applied']]);
    expect(done[0]!.reason).toBe('parse job not finished within 1 s: its thread was stopped');
    expect(await s.answers()).toEqual([s.slots[1]!.begin]);
    // The replacement thread reads on.
    expect(await s.reply('r2', 'the first one please')).toMatch(/^250/);
    const last = await until(async () => ((await s.rows()).at(-1)?.status ?? 'received') !== 'received' && (await s.rows()).at(-1));
    expect(last).toMatchObject({ dedupeKey: '<r2@example.com>' });
    expect(last.status).not.toBe('failed');
  }, 120_000);

  it('does not hold the shutdown: stop() ends the read; the next start reads it again and keeps it as failed', async () => {
    const s = await start({ INBOUND_PARSE_TIMEOUT: '1h' });
    expect(await s.hang('h2')).toMatch(/^250/);
    await until(async () => (await s.rows()).length === 1);
    // Handed to the parse thread, which is now stuck on it.
    await sleep(1_000);
    const began = performance.now();
    const stopped = await Promise.race([t!.server.stop().then(() => 'stopped'), sleep(20_000).then(() => 'still stopping after 20 s')]);
    expect(stopped).toBe('stopped');
    expect(performance.now() - began).toBeLessThan(8_000);
    // The next start reads it again, and it is kept as failed instead of stalling that start too.
    const db = t!.db;
    const again = await startTestServer({ INBOUND_PARSE_TIMEOUT: '1s' }, db);
    try {
      const row = await until(async () => {
        const [r] = await again.server.appDeps.stores.database.db.inboundMessage.findMany();
        return r?.status !== 'received' && r;
      });
      expect(row).toMatchObject({ dedupeKey: '<h2@evil.example>', status: 'failed', reason: 'parse job not finished within 1 s: its thread was stopped' });
    } finally {
      await again.stop();
      await db.drop();
      t = null;
    }
  }, 60_000);
});
