// Organizing by e-mail through the real mailbox (SPEC §10, §5: two doors, one pipeline): mail
// to new@ and the `send` reply arrive via dovecot and the IMAP poller, with no SMTP envelope,
// so To/Cc/Delivered-To name the bot's addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../helpers/mail-catcher.js';
import { appendMessage, startDovecot, type Dovecot } from '../../helpers/dovecot.js';
import { client } from '../../helpers/api.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';

let dovecot: Dovecot;
let catcher: MailCatcher;
let t: TestServer;

beforeAll(async () => {
  dovecot = await startDovecot();
  catcher = await startMailCatcher();
  t = await startTestServer({
    OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, OUTBOX_POLL_MS: '50',
    IMAP_URL: `imap://${encodeURIComponent(dovecot.user)}:${encodeURIComponent(dovecot.password)}@127.0.0.1:${dovecot.imapPort}`,
    IMAP_POLL_SECONDS: '1',
  });
  await addStandardUsers(t);
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await catcher?.stop();
  await dovecot?.stop();
});

const mail = (headers: string[], body: string) => [...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');

describe('IMAP door', () => {
  it('a mail to new@ in the mailbox gets a summary to its sender; `send` notifies the parties', async () => {
    await appendMessage(dovecot, mail([`From: Owner <${OWNER}>`, `To: ${ALICE}`, `Cc: ${BOB}, new@calndro.test`, 'Delivered-To: new@calndro.test',
      'Subject: Fwd: Offsite', 'Message-ID: <imap-draft-1@example.com>', 'Date: Mon, 3 Mar 2031 10:00:00 -0500'],
    '2031-03-13 16:00 EST\nMarch 14 2031 at 9:00 for 30 min\n\n-- \nOwner'));
    const summary = await catcher.waitFor((m) => m.parsed.headers.has('x-calndro-draft'), 20_000);
    expect(summary.envelope.to).toEqual([OWNER]);
    expect(summary.parsed.text).toContain('Title: Offsite');
    expect(summary.parsed.text).toContain('Thu 13 Mar 2031, 16:00–17:00 UTC-05:00 (1 h)');
    expect(summary.parsed.text).toContain('= Thu 13 Mar 2031, 21:00–22:00 UTC (1 h)');
    expect(catcher.messages.filter((m) => !m.envelope.to.includes(OWNER))).toHaveLength(0);

    const replyTo = summary.parsed.replyTo!.value[0]!.address!;
    await appendMessage(dovecot, mail([`From: ${OWNER}`, `To: ${replyTo}`, 'Subject: Re: [calndro] Draft: Offsite',
      'Message-ID: <imap-draft-send@example.com>', `In-Reply-To: ${summary.parsed.messageId}`, 'Date: Mon, 3 Mar 2031 10:05:00 -0500'],
    'ok\n\n> Title: Offsite'));
    const forParty = (who: string) => (m: CaughtMail) => m.envelope.to.includes(who) && m.parsed.headers.has('x-calndro-event');
    const [a, b] = await Promise.all([catcher.waitFor(forParty(ALICE), 20_000), catcher.waitFor(forParty(BOB), 20_000)]);
    const eventId = Number(a.parsed.headers.get('x-calndro-event'));
    expect(Number(b.parsed.headers.get('x-calndro-event'))).toBe(eventId);
    const api = client(t.url);
    const event = (await api('GET', `/${eventId}/`, { auth: basic(OWNER) })).body;
    expect(event).toMatchObject({ title: 'Offsite', parties: [ALICE, BOB, OWNER] });
    expect(event.slots).toEqual([
      { begin: '2031-03-13T21:00:00Z', duration: '01:00:00' },
      { begin: '2031-03-14T14:00:00Z', duration: '00:30:00' },
    ]);
    const log = (await api('GET', `/${eventId}/log/`, { auth: basic(OWNER) })).body.entries as { occurrence: string; data: Record<string, unknown> }[];
    expect(log.filter((e) => e.occurrence === 'NOTIFY').map((e) => e.data)).toEqual([
      expect.objectContaining({ via: 'email', message_id: '<imap-draft-send@example.com>', recipient: ALICE }),
      expect.objectContaining({ via: 'email', message_id: '<imap-draft-send@example.com>', recipient: BOB }),
    ]);
    const rows = await t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.source, r.status])).toEqual([['imap', 'answered'], ['imap', 'applied']]);
  }, 90_000);
});
