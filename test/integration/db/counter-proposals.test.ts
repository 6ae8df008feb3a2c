// Counter-proposals (SPEC §12) through the real SMTP listener: a reply proposing a time in
// words (en/de/fr fixtures) and a calendar's iMIP COUNTER (Outlook, Google Calendar shapes) are
// each recorded as one suggestion, forwarded once to the organizer and acknowledged to the
// proposer; never applied to the list. A COUNTER naming another event or person records nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { calendarFixture } from '../../helpers/calendar-fixtures.js';
import { ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';

let s: ReplyScene;
beforeAll(async () => { s = await startReplyScene(); });
afterAll(() => s?.stop());

const NATURAL = fileURLToPath(new URL('../../fixtures/replies-natural/', import.meta.url));

async function sendRaw(from: string, to: string, raw: Buffer | string) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
}

const suggestions = async (id: number) => (await s.log(id)).filter((x) => x.occurrence === 'SUGGEST');
const isSuggestion = (m: CaughtMail) => /a new time was suggested/.test(m.parsed.subject ?? '');
const lastInbound = async () => (await s.t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0]!;

describe('a counter-proposal in words', () => {
  it('is recorded, forwarded once to the organizer with the add line, and acknowledged; the list stays', async () => {
    const { e, a } = await s.notified();
    const ownerBefore = s.mailsTo(OWNER, e.id).length;
    const headers = ['Message-Id: <counter-words-1@example.com>'];
    expect((await s.reply(ALICE, a, 'Could we do 12 March 2031 10:00 instead?', headers)).ok).toBe(true);
    await s.settle();
    // The same message again (a retry by the sender's server) changes nothing.
    await s.reply(ALICE, a, 'Could we do 12 March 2031 10:00 instead?', headers);
    await s.settle();

    const entries = await suggestions(e.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ effector: ALICE, data: {
      via: 'email', proposer: ALICE, source: 'email', forwarded: true, message_id: '<counter-words-1@example.com>',
      suggested: [{ begin: '2031-03-12T10:00:00Z', duration: '01:00:00' }] } });
    expect((await s.event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual(THREE_SLOTS.map((x) => x.begin));

    const forwarded = s.mailsTo(OWNER, e.id).slice(ownerBefore).filter(isSuggestion);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]!.parsed.text).toContain(`${ALICE} suggested a new time for "Quarterly review"`);
    expect(forwarded[0]!.parsed.text).toContain('Wed 12 Mar 2031, 10:00–11:00 UTC (1 h)');
    expect(forwarded[0]!.parsed.text).toContain('add 2031-03-12 10:00 UTC for 60 min');
    expect(forwarded[0]!.parsed.html).toContain('add 2031-03-12 10:00 UTC for 60 min');

    const acks = s.mailsTo(ALICE, e.id).filter((m) => /went to the organizer/.test(m.parsed.text ?? ''));
    expect(acks).toHaveLength(1);
    expect(acks[0]!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(acks[0]!.parsed.inReplyTo).toBe('<counter-words-1@example.com>');
    // Nobody else heard of it.
    expect(s.mailsTo(BOB, e.id)).toHaveLength(1);
    expect((await lastInbound()).status).toBe('applied');
  });

  it.each(['en-counter-friday.eml', 'en-counter-date-only.eml', 'en-none-and-counter.eml', 'de-counter.eml', 'fr-counter.eml'])(
    '%s records exactly one suggestion', async (file) => {
      const { e, a } = await s.notified();
      const to = s.replyAddress(a);
      const raw = readFileSync(NATURAL + file, 'utf8').replaceAll('{{TO}}', to).replaceAll('{{MSGID}}', `${e.id}`);
      await sendRaw(ALICE, to, raw);
      await s.settle();
      const entries = await suggestions(e.id);
      expect(entries).toHaveLength(1);
      const [begin] = (entries[0]!.data.suggested as { begin: string }[]).map((x) => x.begin);
      // The fixtures are dated 2031, ahead of the real clock: "12 March" and "Friday" count from now.
      expect(begin).toMatch(/date|none/.test(file) ? /-03-12T10:00:00Z$/ : /T15:00:00Z$/);
      expect(s.mailsTo(OWNER, e.id).filter(isSuggestion)).toHaveLength(1);
    });

  it('a weekday that names one slot answers with it (no suggestion)', async () => {
    const { e, a } = await s.notified();
    await s.reply(ALICE, a, 'Thursday works for me.');
    await s.settle();
    expect(await suggestions(e.id)).toHaveLength(0);
    expect((await s.event(e.id)).answers[ALICE]).toHaveLength(1);
    expect((await s.event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual([THREE_SLOTS[2]!.begin]);
  });
});

describe('a calendar COUNTER', () => {
  it.each(['outlook-counter.eml', 'google-counter.eml'])('%s is recorded as one suggestion, forwarded once, acknowledged', async (file) => {
    const { e, organizer, uid, sequence } = await s.invited();
    const ownerBefore = s.mailsTo(OWNER, e.id).filter(isSuggestion).length;
    await sendRaw(BOB, organizer, calendarFixture(file, { to: organizer, attendee: BOB, uid, sequence }));
    await s.settle();
    const entries = await suggestions(e.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ effector: BOB, data: {
      source: 'calendar', proposer: BOB, calendar_uid: uid, forwarded: true,
      suggested: [{ begin: '2031-03-14T15:00:00Z', duration: '01:00:00' }] } });
    expect(s.mailsTo(OWNER, e.id).filter(isSuggestion)).toHaveLength(ownerBefore + 1);
    expect(s.mailsTo(OWNER, e.id).filter(isSuggestion).at(-1)!.parsed.text).toContain('from their calendar');
    expect(s.mailsTo(BOB, e.id).filter((m) => /went to the organizer/.test(m.parsed.text ?? ''))).toHaveLength(1);
    const now = await s.event(e.id);
    expect(now.status).toBe('confirmed');
    expect(now.slots.map((x: { begin: string }) => x.begin)).toEqual([THREE_SLOTS[0]!.begin]);
  });

  it.each([
    ['a foreign UID', (f: { uid: string }) => ({ uid: f.uid.replace(/calndro-(\d+)@/, (_, n) => `calndro-${Number(n) + 1000}@`), attendee: BOB }), /another event/],
    ['another attendee', (f: { uid: string }) => ({ uid: f.uid, attendee: ALICE }), /not the token's party/],
  ])('with %s records nothing and is quarantined', async (_name, change, reason) => {
    const { e, organizer, uid } = await s.invited();
    const mailsBefore = s.catcher.messages.length;
    const logBefore = (await s.log(e.id)).filter((x) => x.occurrence !== 'VIEW').length;
    await sendRaw(BOB, organizer, calendarFixture('outlook-counter.eml', { to: organizer, ...change({ uid }) }));
    await s.settle();
    const row = await lastInbound();
    expect(row.status).toBe('quarantined');
    expect(row.reason).toMatch(reason);
    expect(await suggestions(e.id)).toHaveLength(0);
    expect((await s.log(e.id)).filter((x) => x.occurrence !== 'VIEW')).toHaveLength(logBefore);
    expect(s.catcher.messages.length).toBe(mailsBefore);
  });

  it('an Outlook.com REPLY without ORGANIZER is matched by UID and ATTENDEE and recorded', async () => {
    const { e, organizer, uid } = await s.invited();
    await sendRaw(BOB, organizer, calendarFixture('outlook-com-reply-no-organizer.eml', { to: organizer, attendee: BOB, uid }));
    await s.settle();
    expect((await s.log(e.id)).filter((x) => x.occurrence === 'RSVP')).toMatchObject([{ effector: BOB, data: { partstat: 'ACCEPTED' } }]);
  });
});

describe('the organizer offers a suggestion to everyone', () => {
  it('replying with the add line of the forwarded suggestion sends every party the new list, whose numbers later replies use', async () => {
    // An event organized by mail has its organizer among the parties (SPEC §10).
    const e = (await s.api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: [OWNER, ALICE, BOB], slots: THREE_SLOTS } })).body;
    await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const a = await s.catcher.waitFor((m) => m.envelope.to.includes(ALICE) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    await s.reply(ALICE, a, 'Could we do 12 March 2031 10:00?');
    await s.settle();
    const forwarded = s.mailsTo(OWNER, e.id).filter(isSuggestion);
    expect(forwarded).toHaveLength(1);
    const addLine = /^\s*(add .+)$/m.exec(forwarded[0]!.parsed.text ?? '')![1]!;
    expect(addLine).toBe('add 2031-03-12 10:00 UTC for 60 min');

    const bobBefore = s.mailsTo(BOB, e.id).length;
    await s.reply(OWNER, forwarded[0]!, addLine);
    await s.settle();
    const slots = (await s.event(e.id)).slots.map((x: { begin: string }) => x.begin);
    expect(slots).toEqual(['2031-03-11T14:00:00Z', '2031-03-12T10:00:00Z', '2031-03-12T14:00:00Z', '2031-03-13T14:00:00Z']);
    for (const party of [ALICE, BOB]) {
      const latest = s.mailsTo(party, e.id).at(-1)!;
      expect(latest.parsed.text).toMatch(/2\. Wed 12 Mar 2031, 10:00/);
      expect(latest.parsed.text).toMatch(/4\. Thu 13 Mar 2031, 14:00/);
    }
    // Bob answers "2" to the new list: the suggested time, not the old slot 2.
    const newList = s.mailsTo(BOB, e.id).slice(bobBefore).at(-1)!;
    await s.reply(BOB, newList, '2');
    await s.settle();
    expect((await s.event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual(['2031-03-12T10:00:00Z']);
  });
});
