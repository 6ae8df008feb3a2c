// Answering by reply over real SMTP (swaks and nodemailer) into the running listener: the event
// changes exactly as with the REST API, others are notified, and unsafe mail changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../helpers/mail-catcher.js';
import { client } from '../../helpers/api.js';
import { freePort, sleep } from '../../helpers/free-ports.js';
import { until } from '../../helpers/until.js';
import { swaks } from '../../helpers/swaks.js';
import { openSmtpSession, sendAll } from '../../helpers/raw-smtp.js';
import { readdirSync, readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { tokenHash } from '../../../src/security/tokens.js';
import { usingPostgres } from '../../helpers/database.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, outboxRows } from '../../helpers/fixtures.js';
import { deliveryReport as dsn } from '../../helpers/delivery-report.js';

let t: TestServer;
let catcher: MailCatcher;
let api: ReturnType<typeof client>;
let smtpPort: number;

const SLOTS = [
  { begin: '2031-03-11T14:00:00Z', duration: '01:00' },
  { begin: '2031-03-12T14:00:00Z', duration: '01:00' },
  { begin: '2031-03-13T14:00:00Z', duration: '01:00' },
];

beforeAll(async () => {
  catcher = await startMailCatcher();
  smtpPort = await freePort();
  t = await startTestServer({
    OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, OUTBOX_POLL_MS: '50', OUTBOX_BACKOFF_MS: '100',
    SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort), SMTP_MAX_BYTES: '200000', HELP_REPLIES_PER_HOUR: '1',
  });
  api = client(t.url);
  await addStandardUsers(t);
});
afterAll(async () => {
  await t?.stop();
  await catcher?.stop();
});

const forEvent = (id: number) => (m: CaughtMail) => m.parsed.headers.get('x-calndro-event') === String(id);
const mailsTo = (who: string, id: number) => catcher.messages.filter((m) => m.envelope.to.includes(who) && forEvent(id)(m));
const replyAddress = (m: CaughtMail) => m.parsed.replyTo!.value[0]!.address!;

async function settle() {
  // Inbound processing and outbox delivery are asynchronous: wait until both are idle.
  await t.server.inbound.idle();
  await t.server.outbox?.drain();
  await sleep(50);
}

async function inboundRows() {
  return t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'asc' } });
}

async function setup() {
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: [ALICE, BOB], slots: SLOTS } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
  const a = await catcher.waitFor((m) => m.envelope.to.includes(ALICE) && forEvent(e.id)(m), 10_000);
  const b = await catcher.waitFor((m) => m.envelope.to.includes(BOB) && forEvent(e.id)(m), 10_000);
  return { e, a, b };
}

const event = async (id: number) => (await api('GET', `/${id}/`, { auth: basic(OWNER) })).body;
const log = async (id: number) => (await api('GET', `/${id}/log/`, { auth: basic(OWNER) })).body.entries as { occurrence: string; effector: string; data: Record<string, unknown> }[];

describe('answering by reply', () => {
  it('applies "1,3" from swaks, notifies the other party, acknowledges, logs via email', async () => {
    const { e, a } = await setup();
    const body = `1,3 work for me\n\nOn Tue, Alice's bot wrote:\n> 1. Tue 11 Mar\n> 2. Wed 12 Mar\n`;
    const r = await swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', `Subject: Re: ${a.parsed.subject}`,
      '--header', `In-Reply-To: ${a.parsed.messageId}`, '--header', 'Message-Id: <alice-1@example.com>', '--body', body]);
    expect(r.ok, r.output).toBe(true);
    await settle();
    const now = await event(e.id);
    expect(now.slots.map((s: { begin: string }) => s.begin)).toEqual([SLOTS[0]!.begin, SLOTS[2]!.begin]);
    expect(now.answers[ALICE]).toHaveLength(2);
    const update = (await log(e.id)).find((x) => x.occurrence === 'UPDATE' && x.effector === ALICE)!;
    expect(update.data).toMatchObject({ via: 'email', message_id: '<alice-1@example.com>' });
    const toBob = mailsTo(BOB, e.id);
    expect(toBob).toHaveLength(2);
    expect(toBob[1]!.parsed.text).toMatch(/1\.[^\n]*11 Mar/);
    expect(toBob[1]!.parsed.text).toMatch(/2\.[^\n]*13 Mar/);
    const ack = mailsTo(ALICE, e.id).find((m) => m.parsed.headers.get('auto-submitted') === 'auto-replied')!;
    expect(ack).toBeDefined();
    expect(ack.parsed.inReplyTo).toBe('<alice-1@example.com>');
    expect((await inboundRows()).at(-1)).toMatchObject({ status: 'applied', eventId: e.id });
  });

  it('confirms when the second party narrows to a slot both accept, from a nodemailer reply', async () => {
    const { e, a, b } = await setup();
    await swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Subject: Re: x', '--body', '1 and 3']);
    await settle();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: BOB, to: replyAddress(b), subject: `Re: ${b.parsed.subject}`, inReplyTo: b.parsed.messageId,
      text: `3\n\n-- \nBob\n\nOn Monday the bot wrote:\n> 1. Tue\n> 3. Thu` });
    transport.close();
    await settle();
    const now = await event(e.id);
    expect(now.status).toBe('confirmed');
    expect(now.slots).toEqual([{ begin: SLOTS[2]!.begin, duration: '01:00:00' }]);
    for (const who of [ALICE, BOB]) expect(mailsTo(who, e.id).filter((m) => /METHOD:REQUEST/.test(m.raw.toString()))).toHaveLength(1);
  });

  it('applies the same Message-ID once', async () => {
    const { e, a } = await setup();
    const args = ['--from', ALICE, '--to', replyAddress(a), '--header', 'Message-Id: <dup-1@example.com>', '--header', 'Subject: Re', '--body', '2'];
    await swaks(smtpPort, args);
    await swaks(smtpPort, args);
    await settle();
    expect((await log(e.id)).filter((x) => x.occurrence === 'UPDATE' && x.effector === ALICE)).toHaveLength(1);
    expect((await inboundRows()).filter((r) => r.dedupeKey === '<dup-1@example.com>')).toHaveLength(1);
  });

  // ("How about Thursday at 3pm?" was the unreadable example; since SPEC §12 it is a counter-proposal.)
  it('answers unparseable text once with help (rate-limited), and numbers no longer listed with a notice', async () => {
    const { e, a, b } = await setup();
    const before = mailsTo(ALICE, e.id).length;
    await swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Subject: Re', '--body', 'Let me check with my team first.']);
    await swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Subject: Re', '--body', 'Can we do next week?']);
    await settle();
    const help = mailsTo(ALICE, e.id).slice(before);
    expect(help).toHaveLength(1);
    expect(help[0]!.parsed.text).toMatch(/1\./);
    expect((await event(e.id)).slots).toHaveLength(3);
    // Bob answers "2" after Alice's "1,3" removed slot 2: not applied, and he is told why.
    await swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Subject: Re', '--body', '1,3']);
    await settle();
    const bobBefore = mailsTo(BOB, e.id).length;
    await swaks(smtpPort, ['--from', BOB, '--to', replyAddress(b), '--header', 'Subject: Re', '--body', '2']);
    await settle();
    expect((await event(e.id)).slots).toHaveLength(2);
    const notice = mailsTo(BOB, e.id).slice(bobBefore);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.parsed.text).toMatch(/2/);
  });

  it('records an iMIP REPLY sent to the ORGANIZER address', async () => {
    const { e, a, b } = await setup();
    await swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Subject: Re', '--body', '1']);
    await settle();
    await swaks(smtpPort, ['--from', BOB, '--to', replyAddress(b), '--header', 'Subject: Re', '--body', '1']);
    await settle();
    const invite = mailsTo(BOB, e.id).find((m) => /METHOD:REQUEST/.test(m.raw.toString()))!;
    const icsText = invite.parsed.attachments.find((x) => /calendar/.test(x.contentType))!.content.toString().replace(/\r\n[ \t]/g, '');
    const organizer = icsText.match(/ORGANIZER[^\r\n]*mailto:(meet\+[0-9a-f]{40}@calndro\.test)/i)![1]!;
    const uid = icsText.match(/UID:([^\r\n]+)/)![1]!;
    const reply = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'METHOD:REPLY', 'BEGIN:VEVENT',
      'DTSTART:20310311T140000Z', 'DTEND:20310311T150000Z', 'DTSTAMP:20310301T000000Z', `ORGANIZER:mailto:${organizer}`, `UID:${uid}`,
      `ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:mailto:${BOB}`, 'SEQUENCE:0', 'STATUS:CONFIRMED', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: BOB, to: organizer, subject: 'Accepted: Quarterly review', text: 'Bob has accepted this invitation.',
      icalEvent: { method: 'REPLY', content: reply } });
    transport.close();
    await settle();
    const rsvp = (await log(e.id)).find((x) => x.occurrence === 'RSVP')!;
    expect(rsvp).toMatchObject({ effector: BOB, data: { partstat: 'ACCEPTED' } });
  });
});

describe('tokens in stored mail (SPEC §1)', () => {
  it('stores a reply with every token in it replaced by its hash, and applies it from that form', async () => {
    const { e, a } = await setup();
    const token = replyAddress(a).slice('reply+'.length, 'reply+'.length + 40);
    const link = `${t.url}/${e.id}/?et=${token}`;
    // What a client quotes: the reply address, the link in the quoted text (quoted-printable,
    // split by a soft line break) and in the HTML part (base64), and a Safe Links rewrite.
    const html = Buffer.from(`<p>2</p><blockquote><a href="${link}">open</a> <a href="https://safelinks.example/?url=${encodeURIComponent(link)}">x</a>`
      + ` reply+${token}@calndro.test</blockquote>`).toString('base64');
    const quoted = `2\r\n\r\nOn Monday the bot wrote:\r\n> Open ${link.replace('et=', 'et=3D').slice(0, 60)}=\r\n${link.replace('et=', 'et=3D').slice(60)}`;
    const raw = Buffer.from([`From: ${ALICE}`, `To: ${replyAddress(a)}`, 'Subject: Re', 'Message-ID: <scrub-1@example.com>', `In-Reply-To: ${a.parsed.messageId}`,
      'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="alt"', '',
      '--alt', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', quoted,
      '--alt', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', ...(html.match(/.{1,76}/g) ?? []), '--alt--', ''].join('\r\n'));
    expect(await sendAll(smtpPort, [{ from: ALICE, to: replyAddress(a), raw }])).toEqual([250]);
    await settle();
    // Identified from the stored form: applied.
    expect((await event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual([SLOTS[1]!.begin]);
    const row = (await inboundRows()).find((r) => r.dedupeKey === '<scrub-1@example.com>')!;
    expect(row).toMatchObject({ status: 'applied', rcptTo: `reply+h${tokenHash(token)}@calndro.test` });
    const stored = Buffer.from(row.raw);
    expect(stored.toString('latin1')).not.toMatch(new RegExp(token, 'i'));
    const parsed = await simpleParser(stored);
    for (const part of [parsed.text ?? '', parsed.html || '', JSON.stringify(parsed.to)]) {
      expect(part).not.toContain(token);
      expect(part).toContain(`h${tokenHash(token)}`);
    }
    // Nowhere in the database files either (SQLite: the file and its write-ahead log).
    if (!usingPostgres()) {
      for (const f of readdirSync(t.db.dataDir)) expect(readFileSync(`${t.db.dataDir}/${f}`).includes(token), f).toBe(false);
    }
  });
});

describe('SMTP PIPELINING (RFC 2920), as Postfix delivers to a server that advertises it', () => {
  // MAIL, RCPT and DATA in one write; the body after 354. A line starting with "." travels
  // dot-stuffed and is stored as written.
  const reply = (from: string, to: string, id: string, text: string) => ({ from, to, raw: Buffer.from([`From: ${from}`, `To: ${to}`,
    'Subject: Re', `Message-ID: <${id}@example.com>`, '', text, '', '.signature line', ''].join('\r\n')) });
  const rowsOf = async (ids: string[]) => (await inboundRows()).filter((r) => ids.some((id) => r.dedupeKey === `<${id}@example.com>`));

  it('takes several replies in one session, each with 250, and applies every one', async () => {
    const first = await setup();
    const second = await setup();
    const codes = await sendAll(smtpPort, [reply(ALICE, replyAddress(first.a), 'pipe-1', '1 and 3'), reply(BOB, replyAddress(first.b), 'pipe-2', '3'),
      reply(ALICE, replyAddress(second.a), 'pipe-3', '2')], { pipelining: true });
    expect(codes).toEqual([250, 250, 250]);
    await settle();
    const rows = await rowsOf(['pipe-1', 'pipe-2', 'pipe-3']);
    expect(rows.map((r) => [r.dedupeKey, r.status])).toEqual([['<pipe-1@example.com>', 'applied'], ['<pipe-2@example.com>', 'applied'], ['<pipe-3@example.com>', 'applied']]);
    expect(Buffer.from(rows[0]!.raw).toString('latin1')).toContain('\r\n.signature line\r\n');
    expect((await event(first.e.id)).status).toBe('confirmed');
    expect((await event(second.e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual([SLOTS[1]!.begin]);
  });

  it('answers MAIL, RCPT and DATA sent in one write with their three replies, in order, then takes the body', async () => {
    const { e, a } = await setup();
    const session = openSmtpSession(smtpPort);
    expect(await session.reply()).toMatch(/^220 /);
    expect(await session.cmd('EHLO client.example\r\n')).toMatch(/^250 /);
    const { raw } = reply(ALICE, replyAddress(a), 'pipe-one-write', '2');
    session.write(`MAIL FROM:<${ALICE}>\r\nRCPT TO:<${replyAddress(a)}>\r\nDATA\r\n`);
    expect([await session.reply(), await session.reply(), await session.reply()].map((r) => r.slice(0, 3))).toEqual(['250', '250', '354']);
    expect(await session.cmd(Buffer.concat([Buffer.from(raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1'), Buffer.from('.\r\n')]))).toMatch(/^250 /);
    session.end();
    await settle();
    expect((await rowsOf(['pipe-one-write'])).map((r) => r.status)).toEqual(['applied']);
    expect((await event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual([SLOTS[1]!.begin]);
  });

  it('answers a refused RCPT in a pipelined group with its 550 and stores nothing of it; the session goes on', async () => {
    const { e, a } = await setup();
    const codes = await sendAll(smtpPort, [reply(ALICE, 'someone@elsewhere.example', 'pipe-refused', '1'),
      reply(ALICE, replyAddress(a), 'pipe-after', '2')], { pipelining: true });
    expect(codes).toEqual([550, 250]);
    await settle();
    expect((await rowsOf(['pipe-refused', 'pipe-after'])).map((r) => [r.dedupeKey, r.status])).toEqual([['<pipe-after@example.com>', 'applied']]);
    expect((await event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual([SLOTS[1]!.begin]);
  });
});

describe('safety', () => {
  async function nothingHappens(e: { id: number }, send: () => Promise<unknown>, expectedStatus: string) {
    await settle();
    const mailsBefore = catcher.messages.length;
    const logBefore = (await log(e.id)).filter((x) => x.occurrence !== 'VIEW').length;
    await send();
    await settle();
    expect((await event(e.id)).slots).toHaveLength(3);
    expect(catcher.messages.length).toBe(mailsBefore);
    expect((await log(e.id)).filter((x) => x.occurrence !== 'VIEW').length).toBe(logBefore);
    expect((await inboundRows()).at(-1)!.status).toBe(expectedStatus);
  }

  it('ignores auto-replies, list mail and our own mail coming back', async () => {
    const { e, a } = await setup();
    await nothingHappens(e, () => swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Auto-Submitted: auto-replied', '--header', 'Subject: Out of office', '--body', '1']), 'ignored');
    await nothingHappens(e, () => swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'List-Id: <team.example.com>', '--header', 'Precedence: list', '--header', 'Subject: Re', '--body', '1']), 'ignored');
    await nothingHappens(e, () => swaks(smtpPort, ['--from', t.config.MAIL_FROM, '--to', replyAddress(a), '--header', 'Subject: Re', '--body', '1']), 'ignored');
  });

  it('quarantines a reply without a token that threads to our mail and comes from its recipient (thread matching removed)', async () => {
    const { e, a } = await setup();
    // Everything a forger can know: the party's address and our Message-ID; no token.
    await nothingHappens(e, () => swaks(smtpPort, ['--from', ALICE, '--to', 'new@calndro.test', '--header', `From: ${ALICE}`,
      '--header', `In-Reply-To: ${a.parsed.messageId}`, '--header', `References: ${a.parsed.messageId}`, '--header', 'Subject: Re', '--body', '1']), 'quarantined');
    // new@ is the drafts address (SPEC §10): ALICE is no active user, so no draft and no answer either.
    expect((await inboundRows()).at(-1)!.reason).toBe('draft from alice@example.com, not an active user (ORGANIZE_BY_MAIL=users)');
  });

  it('quarantines mail with an unknown or expired token, or replayed into another event', async () => {
    const { e, a } = await setup();
    const other = await setup();
    await nothingHappens(e, () => swaks(smtpPort, ['--from', ALICE, '--to', `reply+${'0'.repeat(40)}@calndro.test`, '--header', 'Subject: Re', '--body', '1']), 'quarantined');
    await nothingHappens(e, () => swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(other.a), '--header', `References: ${a.parsed.messageId}`, '--header', 'Subject: Re', '--body', '1']), 'quarantined');
    expect((await event(other.e.id)).slots).toHaveLength(3);
    const token = replyAddress(a).slice(6, 46);
    const { sha256Hex } = await import('../../../src/security/tokens.js');
    await t.server.appDeps.stores.database.db.eventToken.update({ where: { hash: sha256Hex(token) }, data: { expiresAt: new Date('2020-01-01') } });
    await nothingHappens(e, () => swaks(smtpPort, ['--from', ALICE, '--to', replyAddress(a), '--header', 'Subject: Re', '--body', '1']), 'quarantined');
    expect((await inboundRows()).at(-1)!.reason).toMatch(/expired/);
  });

  async function report(to: string, raw: string) {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ envelope: { from: '', to }, raw });
    } finally {
      transport.close();
    }
    await settle();
  }

  const rowOf = async (eventId: number, messageId: string) => (await outboxRows(t, eventId)).find((r) => r.messageId === messageId)!;

  it('sends each notification with its own VERP envelope sender; a report there marks it bounced, keeping its recipient', async () => {
    const { e, a, b } = await setup();
    await settle(); // the rows are recorded as sent
    expect(a.envelope.from).toMatch(/^bounce\+\d+-[0-9a-f]{32}@calndro\.test$/);
    expect(b.envelope.from).toMatch(/^bounce\+\d+-[0-9a-f]{32}@calndro\.test$/);
    expect(a.envelope.from).not.toBe(b.envelope.from);
    const before = catcher.messages.length;
    // The report names another recipient and no Message-ID of ours: only the address counts.
    await report(a.envelope.from, dsn('<unrelated@mx.example.com>', 'mallory@evil.example'));
    expect(catcher.messages.length).toBe(before);
    expect((await rowOf(e.id, a.parsed.messageId!)).status).toBe('bounced');
    expect((await rowOf(e.id, b.parsed.messageId!)).status).toBe('sent');
    const bounced = (await log(e.id)).filter((x) => x.occurrence === 'BOUNCED');
    expect(bounced).toHaveLength(1);
    expect(bounced[0]!.data).toMatchObject({ recipient: ALICE, message_id: a.parsed.messageId, status: '5.1.1', permanent: true });
    expect((await outboxRows(t, e.id)).find((r) => r.messageId === a.parsed.messageId)!.recipient).toBe(ALICE);
    expect((await inboundRows()).at(-1)).toMatchObject({ status: 'bounce', reason: expect.stringMatching(/bounced$/) });
    // A second report for the same row changes nothing more.
    await report(a.envelope.from, dsn(a.parsed.messageId!, ALICE));
    expect((await log(e.id)).filter((x) => x.occurrence === 'BOUNCED')).toHaveLength(1);
  });

  it('ignores forged reports: at a reply+ address, at a bounce address with a wrong key, for a row not sent yet, for another domain', async () => {
    const { e, a } = await setup();
    await settle(); // DELIVERED entries of the setup are in
    const changes = async () => (await log(e.id)).filter((x) => x.occurrence !== 'VIEW').length;
    const logBefore = await changes();
    // Quoting our Message-ID and recipient exactly, but sent to the reply address (or anywhere else).
    await report(replyAddress(a), dsn(a.parsed.messageId!, ALICE));
    expect((await inboundRows()).at(-1)!.reason).toMatch(/not at a bounce address/);
    const forgedKey = a.envelope.from.replace(/-[0-9a-f]{32}@/, `-${'0'.repeat(32)}@`);
    await report(forgedKey, dsn(a.parsed.messageId!, ALICE));
    expect((await inboundRows()).at(-1)!.reason).toMatch(/not at a bounce address/);
    // A VERP address given in the headers does not count when the envelope says otherwise.
    await report(replyAddress(a), dsn(a.parsed.messageId!, ALICE).replace('To: whoever@calndro.test', `To: ${a.envelope.from}`));
    // A delay notice is no bounce.
    await report(a.envelope.from, dsn(a.parsed.messageId!, ALICE, 'delayed', '4.4.7'));
    expect((await inboundRows()).at(-1)!.reason).toMatch(/delayed/);
    // Another domain: refused at RCPT.
    const elsewhere = await swaks(smtpPort, ['--from', '<>', '--to', a.envelope.from.replace('@calndro.test', '@elsewhere.example'), '--body', 'x']);
    expect(elsewhere.output).toMatch(/550/);
    expect((await rowOf(e.id, a.parsed.messageId!)).status).toBe('sent');
    expect(await changes()).toBe(logBefore);

    // A row not sent yet (the receiving server answers 451): its own valid VERP address does nothing.
    catcher.setMode('tempfail');
    try {
      await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: (await event(e.id)).slots } });
      const pending = await until(async () => {
        const r = (await outboxRows(t, e.id)).at(-1)!;
        return catcher.rejected.some((m) => m.parsed.messageId === r.messageId) && r;
      });
      const attempt = catcher.rejected.find((m) => m.parsed.messageId === pending.messageId)!;
      await report(attempt.envelope.from, dsn(pending.messageId, ALICE));
      expect((await inboundRows()).at(-1)!.reason).toMatch(/not a sent mail/);
      expect((await rowOf(e.id, pending.messageId)).status).toBe('pending');
      expect((await log(e.id)).some((x) => x.occurrence === 'BOUNCED')).toBe(false);
    } finally {
      catcher.setMode('accept');
    }
  });

  it('refuses foreign recipients and oversized mail at the SMTP level', async () => {
    const foreign = await swaks(smtpPort, ['--from', ALICE, '--to', 'someone@elsewhere.example', '--body', '1']);
    expect(foreign.ok).toBe(false);
    expect(foreign.output).toMatch(/550/);
    // Through a file: one argv string is capped at 128 KiB by the kernel.
    const file = join(mkdtempSync(join(tmpdir(), 'calndro-big-')), 'body.txt');
    writeFileSync(file, `${'x'.repeat(76)}\n`.repeat(4000));
    const big = await swaks(smtpPort, ['--from', ALICE, '--to', `reply+${'a'.repeat(40)}@calndro.test`, '--body', file]);
    expect(big.ok).toBe(false);
    expect(big.output).toMatch(/552/);
  });
});
