// A calendar part that once sent ical.js into an endless loop on the parse thread (a VTIMEZONE
// whose RRULE has no occurrence), sent through the real SMTP door to new@ and to a party's reply
// address: each is answered 250 and processed without its calendar part (not left 'received'),
// and a reply sent after them is applied; the server then stops promptly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../helpers/mail-catcher.js';
import { client } from '../../helpers/api.js';
import { freePort } from '../../helpers/free-ports.js';
import { until } from '../../helpers/until.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';

let t: TestServer;
let catcher: MailCatcher;
let api: ReturnType<typeof client>;
let smtpPort: number;

beforeAll(async () => {
  catcher = await startMailCatcher();
  smtpPort = await freePort();
  t = await startTestServer({
    OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, OUTBOX_POLL_MS: '50', OUTBOX_BACKOFF_MS: '100',
    SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort), ORGANIZE_BY_MAIL: 'anyone',
  });
  api = client(t.url);
  await addStandardUsers(t);
});
afterAll(async () => {
  await t?.stop();
  await catcher?.stop();
});

const crlf = (lines: string[]) => lines.join('\r\n');
/** The reviewer's reproduction: METHOD:COUNTER, DTSTART;TZID=Evil, Evil's STANDARD with RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31. */
const poison = (from: string, to: string, id: string, rule = 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31', start = '20300101T000000') => crlf([
  `From: ${from}`, `To: ${to}`, 'Subject: hi', `Message-ID: <${id}@evil.example>`, 'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'hello', '--b',
  'Content-Type: text/calendar; method=COUNTER', '',
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:COUNTER', 'BEGIN:VTIMEZONE', 'TZID:Evil', 'BEGIN:STANDARD', `DTSTART:${start}`,
  `RRULE:${rule}`, 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0000', 'END:STANDARD', 'END:VTIMEZONE',
  'BEGIN:VEVENT', 'UID:calndro-1@calndro.test', 'DTSTART;TZID=Evil:20310312T100000', 'DTEND;TZID=Evil:20310312T110000',
  'END:VEVENT', 'END:VCALENDAR', '--b--', '']);

async function send(from: string, to: string, raw: string): Promise<string> {
  const tr = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
  try {
    return (await tr.sendMail({ envelope: { from, to: [to] }, raw })).response;
  } finally {
    tr.close();
  }
}


const rows = () => t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'asc' } });
const forEvent = (id: number) => (m: CaughtMail) => m.parsed.headers.get('x-calndro-event') === String(id);

describe('a hostile VTIMEZONE through the SMTP door', () => {
  it('to new@ and to a reply address: 250, processed, and a reply sent after them is applied', async () => {
    const slots = [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }, { begin: '2031-03-12T14:00:00Z', duration: '01:00' }];
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Review', parties: [ALICE, BOB], slots } })).body;
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const invite = await catcher.waitFor((m) => m.envelope.to.includes(ALICE) && forEvent(e.id)(m), 10_000);
    const replyTo = invite.parsed.replyTo!.value[0]!.address!;

    expect(await send('x@evil.example', 'new@calndro.test', poison('x@evil.example', 'new@calndro.test', 'p1'))).toMatch(/^250/);
    expect(await send(ALICE, replyTo, poison(ALICE, replyTo, 'p2'))).toMatch(/^250/);
    // The variant that filled the thread's memory: every second since 1601.
    expect(await send('x@evil.example', 'new@calndro.test', poison('x@evil.example', 'new@calndro.test', 'p3', 'FREQ=SECONDLY', '16010101T000000'))).toMatch(/^250/);
    expect(await send(ALICE, replyTo, crlf([`From: ${ALICE}`, `To: ${replyTo}`, 'Subject: Re: Review', 'Message-ID: <after@example.com>', '', '2', '']))).toMatch(/^250/);

    const done = await until(async () => {
      const all = await rows();
      return all.length === 4 && all.every((r) => r.status !== 'received') && all;
    });
    expect(done.map((r) => r.dedupeKey)).toEqual(['<p1@evil.example>', '<p2@evil.example>', '<p3@evil.example>', '<after@example.com>']);
    expect(done.at(-1)).toMatchObject({ status: 'applied', eventId: e.id });
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.answers[ALICE].map((a: { begin: string }) => a.begin)).toEqual([slots[1]!.begin]);
    // Read without their calendar part: a draft for the mail to new@ (ORGANIZE_BY_MAIL=anyone), help for the reply.
    expect(done.map((r) => r.status)).toEqual(['answered', 'answered', 'answered', 'applied']);

    const s = performance.now();
    await t.stop();
    expect(performance.now() - s).toBeLessThan(10_000);
  }, 60_000);
});
