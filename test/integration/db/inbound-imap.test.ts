// The IMAP door against a real dovecot: replies appended to INBOX are applied once, across a
// poller restart and a dropped connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../helpers/mail-catcher.js';
import { appendMessage, imapOptions, startDovecot, type Dovecot } from '../../helpers/dovecot.js';
import { startImapPoller } from '../../../src/mail/inbound/imap-poller.js';
import type { StoredMessage } from '../../../src/mail/inbound/smtp-listener.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { client } from '../../helpers/api.js';
import { sleep } from '../../helpers/free-ports.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';

let dovecot: Dovecot;
let catcher: MailCatcher;
let db: TestDatabase;
let t: TestServer;

const env = () => ({
  OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, OUTBOX_POLL_MS: '50',
  IMAP_URL: `imap://${encodeURIComponent(dovecot.user)}:${encodeURIComponent(dovecot.password)}@127.0.0.1:${dovecot.imapPort}`,
  IMAP_POLL_SECONDS: '1', SMTP_MAX_BYTES: '100000',
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

  it('skips and records a message over SMTP_MAX_BYTES from its RFC822.SIZE, without downloading it', async () => {
    const big = reply('reply+0@calndro.test', `${'x'.repeat(76)}\r\n`.repeat(4000), '<imap-big@example.com>');
    expect(big.length).toBeGreaterThan(300_000);
    await appendMessage(dovecot, big);
    const prisma = t.server.appDeps.stores.database.db;
    const row = await until('recorded', () => prisma.inboundMessage.findUnique({ where: { dedupeKey: '<imap-big@example.com>' } }).then((r) => r ?? undefined));
    expect(row).toMatchObject({ source: 'imap', status: 'quarantined', mailFrom: ALICE, reason: expect.stringMatching(/over the limit of 100000 bytes/) });
    expect(row.raw.length).toBe(0);
    // Handled like any other message (flagged \Seen, or moved: IMAP_PROCESSED), so it is not looked at again.
    const c = new ImapFlow(imapOptions(dovecot));
    await c.connect();
    const handled: boolean[] = [];
    for (const box of ['INBOX', 'Processed']) {
      const lock = await c.getMailboxLock(box).catch(() => null);
      if (!lock) continue;
      const all = await c.fetchAll('1:*', { envelope: true, flags: true }).catch(() => []);
      lock.release();
      for (const m of all) if (m.envelope?.messageId === '<imap-big@example.com>') handled.push(box === 'Processed' || !!m.flags?.has('\\Seen'));
    }
    await c.logout();
    expect(handled).toEqual([true]);
    // Dovecot's own count of body bytes sent (imap_logout_format, logged when the sessions end).
    await t.stop();
    await until('logout lines', async () => /fetch_body_bytes=\d+/.test(await dovecot.log()));
    const bodyBytes = [...(await dovecot.log()).matchAll(/fetch_body_bytes=(\d+)/g)].reduce((n, x) => n + Number(x[1]), 0);
    expect(bodyBytes).toBeLessThan(100_000);
    t = await startTestServer(env(), db);
  });

  it('reads new mail in batches of UIDs: a message expunged while an earlier batch is stored is never fetched', async () => {
    const mailbox = 'Batches';
    const c = new ImapFlow(imapOptions(dovecot));
    await c.connect();
    await c.mailboxCreate(mailbox).catch(() => undefined);
    const uids: number[] = [];
    for (let i = 1; i <= 25; i++) {
      const appended = await c.append(mailbox, reply(ALICE, String(i), `<batch-${i}@example.com>`));
      if (!appended || !appended.uid) throw new Error('APPEND failed');
      uids.push(appended.uid);
    }
    const stored: string[] = [];
    let expunged = false;
    const store = async (m: StoredMessage) => {
      stored.push(/^Message-ID: (\S+)/im.exec(m.raw.toString())![1]!);
      if (!expunged) {
        // While message 1 is stored, the last one goes away: fetched all at once, it would be stored anyway.
        expunged = true;
        await c.mailboxOpen(mailbox);
        await c.messageDelete(String(uids.at(-1)), { uid: true });
      }
    };
    const poller = startImapPoller({ url: env().IMAP_URL, mailbox, processed: 'flag', pollSeconds: 1, maxBytes: 100_000, batchSize: 10 },
      t.server.appDeps.stores.mailbox, store, async () => undefined);
    try {
      await until('24 stored', async () => stored.length >= 24);
      await poller.synced();
    } finally {
      await poller.stop();
      await c.logout();
    }
    expect(stored).toEqual(Array.from({ length: 24 }, (_, i) => `<batch-${i + 1}@example.com>`));
  });
});
