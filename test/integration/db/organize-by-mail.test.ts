// Organizing by e-mail (SPEC §10) over real SMTP (swaks and nodemailer) into the running
// listener: a mail to new@ gets one summary, to its sender only; `send` does what POST / and
// POST /{id}/notify/ do; and nothing reaches a party that the sender did not confirm.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import nodemailer from 'nodemailer';
import { startReplyScene, type ReplyScene } from '../../helpers/reply-scene.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';
import { swaks } from '../../helpers/swaks.js';
import { ALICE, basic, BOB, OWNER, STRANGER } from '../../helpers/fixtures.js';

const NEW = 'new@calndro.test';
const CAROL = 'carol@example.net';
const DAVE = 'dave@example.net';
// Tests wait on real SMTP, the outbox and (on PostgreSQL) a busy shared server.
vi.setConfig({ testTimeout: 60_000 });

const TIMES = ['Tue 11 Mar 2031 14:00-15:00', 'March 12 2031 at 9:30 for 45 min', 'Feb 30 2031 at 25:00', 'Jan 5 2020 10:00', '', 'Thanks!', 'Owner'].join('\n');
// Paris in winter: the times above are read at +01:00.
const DATE = 'Date: Mon, 3 Mar 2031 10:00:00 +0100';

let s: ReplyScene;

const isDraftMail = (m: CaughtMail) => m.parsed.headers.has('x-calndro-draft');
const draftMailsTo = (who: string) => s.catcher.messages.filter((m) => isDraftMail(m) && m.envelope.to.includes(who));
const mailsToAny = (who: string) => s.catcher.messages.filter((m) => m.envelope.to.includes(who));
const db = () => s.t.server.appDeps.stores.database.db;
const inboundByMessageId = async (id: string) => db().inboundMessage.findUnique({ where: { dedupeKey: id } });

async function organize(from: string, subject: string, messageId: string, opts: { to?: string; cc?: string; body?: string; headers?: string[] } = {}) {
  // The envelope names new@ only (the parties' own servers get their copies): To and Cc are headers.
  const r = await swaks(s.smtpPort, ['--from', from, '--to', NEW, '--header', `To: ${opts.to ?? `${NEW}, ${BOB}`}`, ...(opts.cc ? ['--header', `Cc: ${opts.cc}`] : []),
    '--header', `Subject: ${subject}`, '--header', DATE, '--header', `Message-Id: ${messageId}`,
    ...(opts.headers ?? []).flatMap((h) => ['--header', h]), '--body', opts.body ?? TIMES]);
  expect(r.ok, r.output).toBe(true);
  await s.settle();
}

async function answer(from: string, to: string, body: string, messageId: string, headers: string[] = []) {
  const r = await swaks(s.smtpPort, ['--from', from, '--to', to, '--header', 'Subject: Re: draft', '--header', `Message-Id: ${messageId}`,
    ...headers.flatMap((h) => ['--header', h]), '--body', body]);
  expect(r.ok, r.output).toBe(true);
  await s.settle();
}

beforeAll(async () => {
  s = await startReplyScene({ ORGANIZE_PER_DAY: '5', HELP_REPLIES_PER_HOUR: '5' });
}, 60_000);
afterAll(async () => {
  await s?.stop();
});

describe('a mail to new@ and its `send`', () => {
  let summary: CaughtMail;
  let eventId: number;

  it('answers the sender alone with what it understood, in their zone and in UTC', async () => {
    await organize(OWNER, 'Re: Fwd: Planning', '<plan-1@example.com>', { cc: `Alice <${ALICE}>, ${NEW}` });
    const drafts = draftMailsTo(OWNER);
    expect(drafts).toHaveLength(1);
    summary = drafts[0]!;
    // Only the sender: no summary (or anything) to the Cc'd and To'd parties.
    expect(summary.envelope.to).toEqual([OWNER]);
    expect(mailsToAny(ALICE)).toHaveLength(0);
    expect(mailsToAny(BOB)).toHaveLength(0);
    expect(s.replyAddress(summary)).toMatch(/^reply\+[0-9a-f]{40}@calndro\.test$/);
    expect(summary.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    const text = summary.parsed.text!;
    expect(text).toContain('Title: Planning');
    expect(text).toContain(`Parties: ${BOB}, ${ALICE}, ${OWNER}`);
    expect(text).toContain('1. Tue 11 Mar 2031, 14:00–15:00 UTC+01:00 (1 h)');
    expect(text).toContain('= Tue 11 Mar 2031, 13:00–14:00 UTC (1 h)');
    expect(text).toContain('2. Wed 12 Mar 2031, 09:30–10:15 UTC+01:00 (45 min)');
    expect(text).toContain('"Feb 30 2031 at 25:00": not read as a time');
    expect(text).not.toContain('Thanks!');
    expect(text).toMatch(/Jan 5 2020 10:00.*past/);
    expect(summary.parsed.html).toContain('UTC+01:00');
    const row = await inboundByMessageId('<plan-1@example.com>');
    expect(row).toMatchObject({ status: 'answered' });
    const [draft] = await db().draft.findMany({ where: { sender: OWNER } });
    expect(draft).toMatchObject({ status: 'open', title: 'Planning' });
    expect(JSON.parse(draft!.steps)).toEqual([expect.objectContaining({ what: 'start', messageId: '<plan-1@example.com>' })]);
  });

  it('`send` creates and notifies every other party as POST / and notify do', async () => {
    await answer(OWNER, s.replyAddress(summary), 'Send\n\nOn Monday calndro wrote:\n> 1. Tue', '<plan-send@example.com>');
    const draft = (await db().draft.findMany({ where: { sender: OWNER } }))[0]!;
    expect(draft.status).toBe('sent');
    eventId = draft.eventId!;
    const event = await s.event(eventId);
    expect(event).toMatchObject({ title: 'Planning', status: 'open', parties: [BOB, ALICE, OWNER] });
    expect(event.slots).toEqual([
      { begin: '2031-03-11T13:00:00Z', duration: '01:00:00' },
      { begin: '2031-03-12T08:30:00Z', duration: '00:45:00' },
    ]);
    for (const who of [ALICE, BOB]) {
      const [m, ...more] = s.mailsTo(who, eventId);
      expect(more).toHaveLength(0);
      expect(m!.parsed.subject).toBe('[calndro] Planning: pick your slots');
      expect(s.replyAddress(m!)).toMatch(/^reply\+[0-9a-f]{40}@calndro\.test$/);
      expect(m!.parsed.text).toContain(`?et=`);
      expect(m!.parsed.attachments.map((a) => a.filename)).toContain('invite.ics');
    }
    // The organizer learns where it went, and the commands, from their own token.
    const [organizerMail] = s.mailsTo(OWNER, eventId);
    expect(organizerMail!.parsed.text).toContain(`Your proposal went to ${BOB}, ${ALICE}.`);
    expect(organizerMail!.parsed.text).toMatch(/add <times>/);
    const log = await s.log(eventId);
    expect(log[0]).toMatchObject({ occurrence: 'UPDATE', effector: OWNER, data: { via: 'email', opened: 'created', message_id: '<plan-send@example.com>' } });
    expect((log[0]!.data.draft_steps as { what: string }[]).map((x) => x.what)).toEqual(['start', 'send']);
    const notices = log.filter((e) => e.occurrence === 'NOTIFY');
    expect(notices.map((e) => e.data.recipient).sort()).toEqual([ALICE, BOB].sort());
    for (const n of notices) expect(n.data).toMatchObject({ via: 'email', message_id: '<plan-send@example.com>', sender: OWNER });
    expect(await inboundByMessageId('<plan-send@example.com>')).toMatchObject({ status: 'applied', eventId });
  });

  it('the sender kept every slot they proposed', async () => {
    const row = await db().event.findUnique({ where: { id: eventId } });
    expect(Object.keys(JSON.parse(row!.answers))).toEqual([OWNER]);
    expect(JSON.parse(row!.answers)[OWNER]).toHaveLength(2);
  });

  it('a second `send` changes nothing and mails nobody', async () => {
    const before = s.catcher.messages.length;
    await answer(OWNER, s.replyAddress(summary), 'yes', '<plan-send-again@example.com>');
    expect(s.catcher.messages.length).toBe(before);
    expect(await inboundByMessageId('<plan-send-again@example.com>')).toMatchObject({ status: 'ignored' });
    const draft = (await db().draft.findMany({ where: { sender: OWNER } }))[0]!;
    expect(JSON.parse(draft.steps).map((x: { what: string }) => x.what)).toEqual(['start', 'send', 'send again (draft sent)']);
    expect((await s.log(eventId)).filter((e) => e.occurrence === 'NOTIFY')).toHaveLength(2);
  });

  it('the organizer adds and removes times by reply; every party gets the new list', async () => {
    const organizerMail = s.mailsTo(OWNER, eventId)[0]!;
    await answer(OWNER, s.replyAddress(organizerMail), 'add March 14 2031 at 10:00', '<plan-add@example.com>', ['Date: Mon, 3 Mar 2031 11:00:00 +0100']);
    let event = await s.event(eventId);
    expect(event.slots).toHaveLength(3);
    expect(event.slots[2]).toEqual({ begin: '2031-03-14T09:00:00Z', duration: '01:00:00' });
    for (const who of [ALICE, BOB]) expect(s.mailsTo(who, eventId)).toHaveLength(2);
    const latest = s.mailsTo(OWNER, eventId).at(-1)!;
    expect(latest.parsed.text).toContain('Added 1 time');
    await answer(OWNER, s.replyAddress(latest), 'remove 1', '<plan-remove@example.com>');
    event = await s.event(eventId);
    expect(event.slots.map((x: { begin: string }) => x.begin)).toEqual(['2031-03-12T08:30:00Z', '2031-03-14T09:00:00Z']);
    for (const who of [ALICE, BOB]) expect(s.mailsTo(who, eventId)).toHaveLength(3);
  });

  it('a party\'s `cancel` gets the help reply; the organizer\'s cancels the event', async () => {
    const aliceMail = s.mailsTo(ALICE, eventId).at(-1)!;
    await answer(ALICE, s.replyAddress(aliceMail), 'cancel', '<alice-cancel@example.com>');
    expect((await s.event(eventId)).status).toBe('open');
    expect(await inboundByMessageId('<alice-cancel@example.com>')).toMatchObject({ status: 'answered' });
    const help = s.mailsTo(ALICE, eventId).at(-1)!;
    expect(help.parsed.text).toContain('could not be understood');

    const ownerMail = s.mailsTo(OWNER, eventId).at(-1)!;
    await answer(OWNER, s.replyAddress(ownerMail), 'help', '<owner-help@example.com>');
    const commands = s.mailsTo(OWNER, eventId).at(-1)!;
    expect(commands.parsed.text).toMatch(/remove N/);
    // One table: the help lists book N and remind (SPEC §11) with the others.
    expect(commands.parsed.text).toMatch(/^\s+book N\n/m);
    expect(commands.parsed.text).toMatch(/^\s+remind\n/m);
    await answer(OWNER, s.replyAddress(commands), 'cancel', '<owner-cancel@example.com>');
    expect((await s.event(eventId)).status).toBe('cancelled');
    expect((await s.log(eventId)).find((e) => e.occurrence === 'CANCEL')).toMatchObject({ occurrence: 'CANCEL', effector: OWNER, data: { via: 'email', message_id: '<owner-cancel@example.com>' } });
  });
});

describe('safety: nothing reaches a party the sender did not confirm', () => {
  it('a forged From (nodemailer) only makes one summary to that address\'s owner', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({
      envelope: { from: 'mallory@evil.example', to: [NEW] },
      from: `"The Boss" <${STRANGER}>`, to: NEW, cc: [CAROL, ALICE], subject: 'Urgent meeting',
      messageId: '<forged-1@evil.example>', date: new Date('2031-03-03T09:00:00Z'), text: 'Tue 11 Mar 2031 16:00',
    });
    transport.close();
    await s.settle();
    const summaries = draftMailsTo(STRANGER);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.envelope.to).toEqual([STRANGER]);
    expect(mailsToAny(CAROL)).toHaveLength(0);
    expect(mailsToAny('mallory@evil.example')).toHaveLength(0);
    expect(s.catcher.messages.filter((m) => m.envelope.to.includes(ALICE) && isDraftMail(m))).toHaveLength(0);
    expect(await inboundByMessageId('<forged-1@evil.example>')).toMatchObject({ status: 'answered' });
  });

  it('an unknown sender under ORGANIZE_BY_MAIL=users is quarantined without an answer', async () => {
    const before = s.catcher.messages.length;
    await organize('nobody@example.org', 'Hi', '<unknown-1@example.org>', { cc: CAROL });
    expect(s.catcher.messages.length).toBe(before);
    expect(await inboundByMessageId('<unknown-1@example.org>')).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('not an active user') });
    expect(await db().draft.count({ where: { sender: 'nobody@example.org' } })).toBe(0);
  });

  it('a `Deadline:` line: the summary shows it in the sender\'s zone and UTC; `send` gives the event its respond_by', async () => {
    const body = ['Tue 11 Mar 2031 14:00-15:00', 'Deadline: Mon 10 Mar 2031 18:00'].join('\n');
    await organize(OWNER, 'With a deadline', '<deadline-1@example.com>', { to: `${NEW}, ${DAVE}`, body });
    const summary = draftMailsTo(OWNER).at(-1)!;
    const text = summary.parsed.text!;
    expect(text).toContain('Title: With a deadline');
    expect(text).toContain('Answers requested by Mon 10 Mar 2031, 18:00 UTC+01:00');
    expect(text).toContain('= Mon 10 Mar 2031, 17:00 UTC');
    expect(text).not.toContain('Lines we did not use');
    expect(summary.parsed.html).toContain('Answers requested by');
    const draft = await db().draft.findFirst({ where: { sender: OWNER, title: 'With a deadline' } });
    expect(draft!.respondBy!.toISOString()).toBe('2031-03-10T17:00:00.000Z');

    await answer(OWNER, s.replyAddress(summary), 'send', '<deadline-send@example.com>');
    const sent = await db().draft.findFirst({ where: { id: draft!.id } });
    expect(sent!.status).toBe('sent');
    const event = await s.event(sent!.eventId!);
    expect(event.respond_by).toBe('2031-03-10T17:00:00Z');
    expect(s.mailsTo(DAVE, sent!.eventId!)[0]!.parsed.text).toContain('Please answer by Mon 10 Mar 2031, 17:00 UTC');
    const [created] = await s.log(sent!.eventId!);
    expect(created).toMatchObject({ occurrence: 'UPDATE', data: { opened: 'created', respond_by: '2031-03-10T17:00:00Z', via: 'email' } });
  });

  it('an auto-reply to the summary is recorded and never acted on', async () => {
    await organize(OWNER, 'Auto test', '<auto-1@example.com>', { to: `${NEW}, ${CAROL}` });
    const summary = draftMailsTo(OWNER).at(-1)!;
    const before = s.catcher.messages.length;
    await answer(OWNER, s.replyAddress(summary), 'send', '<auto-reply-1@example.com>', ['Auto-Submitted: auto-replied']);
    expect(s.catcher.messages.length).toBe(before);
    expect(await inboundByMessageId('<auto-reply-1@example.com>')).toMatchObject({ status: 'ignored' });
    const draft = await db().draft.findFirst({ where: { sender: OWNER, title: 'Auto test' } });
    expect(draft!.status).toBe('open');
    expect(JSON.parse(draft!.steps).at(-1)).toMatchObject({ messageId: '<auto-reply-1@example.com>' });
    expect(mailsToAny(CAROL)).toHaveLength(0);
  });

  it('other times give a new summary; `cancel` drops the draft; the old summary no longer acts', async () => {
    await organize(OWNER, 'Revise test', '<rev-1@example.com>', { to: `${NEW}, ${CAROL}` });
    const first = draftMailsTo(OWNER).at(-1)!;
    await answer(OWNER, s.replyAddress(first), 'Thu 13 Mar 2031 08:00-09:30', '<rev-2@example.com>', ['Date: Mon, 3 Mar 2031 10:00:00 +0000']);
    const second = draftMailsTo(OWNER).at(-1)!;
    expect(second).not.toBe(first);
    expect(second.parsed.text).toContain('1. Thu 13 Mar 2031, 08:00–09:30');
    await answer(OWNER, s.replyAddress(first), 'send', '<rev-old-send@example.com>');
    expect(await inboundByMessageId('<rev-old-send@example.com>')).toMatchObject({ status: 'quarantined' });
    await answer(OWNER, s.replyAddress(second), 'cancel', '<rev-cancel@example.com>');
    const draft = await db().draft.findFirst({ where: { sender: OWNER, title: 'Revise test' } });
    expect(draft!.status).toBe('cancelled');
    expect(draftMailsTo(OWNER).at(-1)!.parsed.text).toContain('is cancelled');
    expect(mailsToAny(CAROL)).toHaveLength(0);
  });

  it('past ORGANIZE_PER_DAY a sender gets no more summaries', async () => {
    // OWNER has started 4 drafts above; the cap is 5.
    await organize(OWNER, 'Fifth', '<cap-4@example.com>', { to: `${NEW}, ${CAROL}` });
    const before = draftMailsTo(OWNER).length;
    await organize(OWNER, 'Sixth', '<cap-5@example.com>', { to: `${NEW}, ${CAROL}` });
    expect(draftMailsTo(OWNER).length).toBe(before);
    expect(await inboundByMessageId('<cap-5@example.com>')).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('ORGANIZE_PER_DAY') });
  });

  it('refuses mail to other local parts at RCPT', async () => {
    const r = await swaks(s.smtpPort, ['--from', OWNER, '--to', 'old@calndro.test', '--body', 'x']);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/550/);
  });
});

describe('DRAFT_TTL=2s', () => {
  let t: ReplyScene;
  beforeAll(async () => {
    t = await startReplyScene({ DRAFT_TTL: '2s' });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a `send` after expiry gets one reply saying so, and nothing reaches the parties', async () => {
    const r = await swaks(t.smtpPort, ['--from', OWNER, '--to', NEW, '--header', `To: ${NEW}, ${CAROL}`, '--header', 'Subject: Late', '--header', DATE, '--body', TIMES]);
    expect(r.ok, r.output).toBe(true);
    await t.settle();
    const summary = t.catcher.messages.find((m) => m.envelope.to.includes(OWNER))!;
    expect(summary).toBeDefined();
    await new Promise((res) => setTimeout(res, 2_200));
    for (const id of ['<late-1@example.org>', '<late-2@example.org>']) {
      await swaks(t.smtpPort, ['--from', OWNER, '--to', t.replyAddress(summary), '--header', `Message-Id: ${id}`, '--body', 'send']);
      await t.settle();
    }
    const toSender = t.catcher.messages.filter((m) => m.envelope.to.includes(OWNER));
    expect(toSender).toHaveLength(2);
    expect(toSender[1]!.parsed.text).toContain('has expired');
    expect(t.catcher.messages.filter((m) => m.envelope.to.includes(CAROL))).toHaveLength(0);
    const { db } = t.t.server.appDeps.stores.database;
    const rows = await db.inboundMessage.findMany({ where: { dedupeKey: { in: ['<late-1@example.org>', '<late-2@example.org>'] } }, orderBy: { id: 'asc' } });
    expect(rows.map((x) => x.status)).toEqual(['answered', 'ignored']);
    const draft = await db.draft.findFirst({ where: { title: 'Late' } });
    expect(draft!.status).toBe('expired');
    expect(JSON.parse(draft!.steps).map((x: { what: string }) => x.what)).toEqual(['start', 'send after expiry', 'send after expiry']);
    expect(await db.event.count()).toBe(0);
  }, 60_000);
});

describe('ORGANIZE_BY_MAIL=anyone (MAIL_NEW_LOCAL=plan)', () => {
  let t: ReplyScene;
  beforeAll(async () => {
    t = await startReplyScene({ ORGANIZE_BY_MAIL: 'anyone', MAIL_NEW_LOCAL: 'plan' });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('an unknown sender gets a summary, and becomes an inactive user when they send', async () => {
    const sender = 'visitor@example.org';
    const r = await swaks(t.smtpPort, ['--from', sender, '--to', 'plan@calndro.test', '--header', `To: plan@calndro.test, ${CAROL}`, '--header', 'Subject: Visit', '--header', DATE, '--body', TIMES]);
    expect(r.ok, r.output).toBe(true);
    await t.settle();
    const summary = t.catcher.messages.find((m) => m.envelope.to.includes(sender))!;
    const { db } = t.t.server.appDeps.stores.database;
    expect(await db.user.count({ where: { email: sender } })).toBe(0);
    await swaks(t.smtpPort, ['--from', sender, '--to', t.replyAddress(summary), '--body', 'ok']);
    await t.settle();
    expect(await db.user.findUnique({ where: { email: sender } })).toMatchObject({ isActive: false });
    expect(t.catcher.messages.filter((m) => m.envelope.to.includes(CAROL) && m.parsed.headers.has('x-calndro-event'))).toHaveLength(1);
    // new@ is just another refused local part here.
    expect((await swaks(t.smtpPort, ['--from', sender, '--to', NEW, '--body', 'x'])).ok).toBe(false);
  }, 60_000);
});

describe('ORGANIZE_BY_MAIL=off', () => {
  let t: ReplyScene;
  beforeAll(async () => {
    t = await startReplyScene({ ORGANIZE_BY_MAIL: 'off' });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a mail to new@ from a user is quarantined without an answer', async () => {
    const r = await swaks(t.smtpPort, ['--from', OWNER, '--to', NEW, '--header', `To: ${NEW}, ${CAROL}`, '--header', 'Message-Id: <off-1@example.com>', '--body', TIMES]);
    expect(r.ok, r.output).toBe(true);
    await t.settle();
    expect(t.catcher.messages).toHaveLength(0);
    const { db } = t.t.server.appDeps.stores.database;
    expect(await db.inboundMessage.findUnique({ where: { dedupeKey: '<off-1@example.com>' } })).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('off') });
    expect(await db.draft.count()).toBe(0);
  }, 60_000);
});
