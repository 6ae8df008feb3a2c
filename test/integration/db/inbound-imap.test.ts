// The IMAP door against a real dovecot: replies appended to INBOX are applied once, across a
// poller restart and a dropped connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../helpers/mail-catcher.js';
import { appendMessage, imapOptions, startDovecot, type Dovecot } from '../../helpers/dovecot.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { client } from '../../helpers/api.js';
import { sleep } from '../../helpers/ports.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';

let dovecot: Dovecot;
let catcher: MailCatcher;
let db: TestDatabase;
let t: TestServer;

const env = () => ({
  OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, OUTBOX_POLL_MS: '50',
  IMAP_URL: `imap://${encodeURIComponent(dovecot.user)}:${encodeURIComponent(dovecot.password)}@127.0.0.1:${dovecot.imapPort}`,
  IMAP_POLL_SECONDS: '1',
});

beforeAll(async () => {
  dovecot = await startDovecot();
  catcher = await startMailCatcher();
  db = await createTestDatabase();
  t = await startTestServer(env(), db);
  await addStandardUsers(t);
});
afterAll(async () => {
  await t?.stop();
  await db?.drop();
  await catcher?.stop();
  await dovecot?.stop();
});

function reply(to: string, body: string, messageId: string): string {
  return [`From: Alice <${ALICE}>`, `To: ${to}`, 'Subject: Re: pick your slots', `Message-ID: ${messageId}`,
    'Date: Tue, 25 Nov 2026 10:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('IMAP poller', () => {
  it('applies replies from the mailbox once, across a restart and a dropped connection', async () => {
    const api = client(t.url);
    const slots = ['11', '12', '13', '14'].map((d) => ({ begin: `2031-03-${d}T14:00:00Z`, duration: '01:00' }));
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'IMAP', parties: [ALICE, BOB], slots } })).body;
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const mail: CaughtMail = await catcher.waitFor((m) => m.envelope.to.includes(ALICE), 10_000);
    const to = mail.parsed.replyTo!.value[0]!.address!;
    const slotCount = async () => (await client(t.url)('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots.length as number;
    const updates = async () => ((await client(t.url)('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries as { occurrence: string; effector: string }[])
      .filter((x) => x.occurrence === 'UPDATE' && x.effector === ALICE).length;

    await appendMessage(dovecot, reply(to, '1,2,3', '<imap-1@example.com>'));
    await until('first reply applied', async () => (await slotCount()) === 3);

    // Restart: a new server process state on the same database must not re-apply message 1.
    await t.stop();
    await appendMessage(dovecot, reply(to, '1,2', '<imap-2@example.com>'));
    t = await startTestServer(env(), db);
    await until('second reply applied after restart', async () => (await slotCount()) === 2);
    expect(await updates()).toBe(2);

    // Dropped connection: the poller reconnects and carries on.
    await dovecot.kick();
    await sleep(300);
    await appendMessage(dovecot, reply(to, '1', '<imap-3@example.com>'));
    await until('third reply applied after reconnect', async () => (await slotCount()) === 1);
    await sleep(1500);
    expect(await updates()).toBe(3);

    // Handled mail is flagged \Seen.
    const c = new ImapFlow(imapOptions(dovecot));
    await c.connect();
    const lock = await c.getMailboxLock('INBOX');
    const msgs = await c.fetchAll('1:*', { uid: true, flags: true });
    lock.release();
    await c.logout();
    expect(msgs).toHaveLength(3);
    expect(msgs.every((m) => m.flags?.has('\\Seen'))).toBe(true);
  });

  it('lets exactly one instance poll: a second one waits for the lease', async () => {
    const second = await startTestServer(env(), db);
    try {
      const leases = await t.server.appDeps.stores.database.db.lease.findMany();
      expect(leases).toHaveLength(1);
      const api = client(t.url);
      const e = (await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: [{ begin: '2031-05-01T10:00:00Z', duration: '00:30' }, { begin: '2031-05-02T10:00:00Z', duration: '00:30' }] } })).body;
      await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
      const mail = await catcher.waitFor((m) => m.envelope.to.includes(ALICE) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
      await appendMessage(dovecot, reply(mail.parsed.replyTo!.value[0]!.address!, '2', '<imap-lease@example.com>'));
      await until('applied by whichever instance holds the lease', async () =>
        (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots.length === 1);
      await sleep(1500);
      const rows = await t.server.appDeps.stores.database.db.inboundMessage.findMany({ where: { dedupeKey: '<imap-lease@example.com>' } });
      expect(rows).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('moves handled mail to a folder when IMAP_PROCESSED=move:<folder>', async () => {
    await t.stop();
    t = await startTestServer({ ...env(), IMAP_PROCESSED: 'move:Processed' }, db);
    const api = client(t.url);
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: [{ begin: '2031-07-01T10:00:00Z', duration: '00:30' }, { begin: '2031-07-02T10:00:00Z', duration: '00:30' }] } })).body;
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
    const mail = await catcher.waitFor((m) => m.envelope.to.includes(ALICE) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    await appendMessage(dovecot, reply(mail.parsed.replyTo!.value[0]!.address!, '1', '<imap-move@example.com>'));
    await until('applied', async () => (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots.length === 1);
    const c = new ImapFlow(imapOptions(dovecot));
    await c.connect();
    const inProcessed = await until('moved', async () => {
      const lock = await c.getMailboxLock('Processed');
      try {
        const msgs = await c.fetchAll('1:*', { envelope: true });
        return msgs.some((m) => m.envelope?.messageId === '<imap-move@example.com>') && msgs;
      } finally {
        lock.release();
      }
    });
    const lock = await c.getMailboxLock('INBOX');
    const inbox = await c.fetchAll('1:*', { envelope: true }).catch(() => []);
    lock.release();
    await c.logout();
    expect(inProcessed.length).toBeGreaterThan(0);
    expect(inbox.some((m) => m.envelope?.messageId === '<imap-move@example.com>')).toBe(false);
  });
});
