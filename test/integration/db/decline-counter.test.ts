// SPEC §12 DECLINECOUNTER over the real SMTP listener in scaled-down time: a calendar's COUNTER
// the organizer lets be is answered once, COUNTER_DECLINE_AFTER (2 s) after it came, with a
// METHOD:DECLINECOUNTER naming the counter's UID; a counter whose time the organizer `add`ed by
// mail (due at the event's respond_by, still ahead when it came) gets nothing.
import ICAL from 'ical.js';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { calendarFixture } from '../../helpers/calendar-fixtures.js';
import { ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';
import { sleep } from '../../helpers/free-ports.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';

let s: ReplyScene;
beforeAll(async () => { s = await startReplyScene({ COUNTER_DECLINE_AFTER: '2s', REMINDER_INTERVAL: '1s' }); });
afterAll(() => s?.stop());

async function sendRaw(from: string, to: string, raw: Buffer) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
}

const calendarOf = (m: CaughtMail) => m.parsed.attachments.find((x) => /calendar/.test(x.contentType))!.content.toString();
const isDecline = (m: CaughtMail) => /^Declined:/.test(m.parsed.subject ?? '');
const declinesTo = (who: string, id: number) => s.mailsTo(who, id).filter(isDecline);
const isSuggestion = (m: CaughtMail) => /a new time was suggested/.test(m.parsed.subject ?? '');

it('an ignored COUNTER gets exactly one DECLINECOUNTER; one whose time the organizer added gets none', async () => {
  // Added: an open event with respond_by 30 s ahead (the counter is due then; room for the mail round
  // trips under load); the organizer is a party, as when organizing by mail.
  const respondBy = new Date(Date.now() + 30_000);
  const kept = (await s.api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: [OWNER, ALICE, BOB], slots: THREE_SLOTS, respond_by: respondBy.toISOString() } })).body;
  await s.api('POST', `/${kept.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: kept.slots } });
  const proposal = await s.catcher.waitFor((m) => m.envelope.to.includes(BOB) && m.parsed.headers.get('x-calndro-event') === String(kept.id), 10_000);
  const keptUid = `calndro-${kept.id}@calndro.test`;
  await sendRaw(BOB, s.replyAddress(proposal), calendarFixture('outlook-counter.eml', { to: s.replyAddress(proposal), attendee: BOB, uid: keptUid, sequence: 0 }));
  await s.settle();
  const forwarded = await s.catcher.waitFor((m) => m.envelope.to.includes(OWNER) && isSuggestion(m) && m.parsed.headers.get('x-calndro-event') === String(kept.id), 10_000);
  const addLine = /^\s*(add .+)$/m.exec(forwarded.parsed.text ?? '')![1]!;
  expect((await s.reply(OWNER, forwarded, addLine)).ok).toBe(true);
  await s.settle();
  expect((await s.event(kept.id)).slots.map((x: { begin: string }) => x.begin)).toContain('2031-03-14T15:00:00Z');
  expect(Date.now()).toBeLessThan(respondBy.getTime()); // added before the counter was due

  // Ignored: Bob's calendar proposes another time for the confirmed event.
  const { e, organizer, uid, sequence } = await s.invited();
  await sendRaw(BOB, organizer, calendarFixture('outlook-counter.eml', { to: organizer, attendee: BOB, uid, sequence }));
  await s.settle();
  const countered = Date.now();
  const decline = await s.catcher.waitFor((m) => m.envelope.to.includes(BOB) && isDecline(m) && m.parsed.headers.get('x-calndro-event') === String(e.id), 15_000);
  expect(Date.now() - countered).toBeGreaterThanOrEqual(1_000);
  expect(decline.raw.toString()).toMatch(/text\/calendar;[^\r\n]*method=DECLINECOUNTER/i);
  const cal = new ICAL.Component(ICAL.parse(calendarOf(decline)));
  expect(cal.getFirstPropertyValue('method')).toBe('DECLINECOUNTER');
  const vevent = cal.getFirstSubcomponent('vevent')!;
  expect(vevent.getFirstPropertyValue('uid')).toBe(uid);
  expect(vevent.getFirstPropertyValue('sequence')).toBe(sequence);
  expect(String(vevent.getFirstPropertyValue('dtstart'))).toBe('2031-03-14T15:00:00Z');
  // A meet+ address like the invite's (a fresh rsvp-only token each mail, as for CANCEL); clients match by UID.
  expect(String(vevent.getFirstPropertyValue('organizer'))).toMatch(/^mailto:meet\+[0-9a-f]{40}@calndro\.test$/i);
  expect(vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase())).toEqual([`mailto:${BOB}`]);
  expect(decline.parsed.text).toContain('kept the original times');

  // Past the kept event's respond_by and a few more worker passes: still one decline, none for the added time.
  await sleep(Math.max(0, respondBy.getTime() - Date.now()) + 3_000);
  await s.settle();
  expect(declinesTo(BOB, e.id)).toHaveLength(1);
  expect(declinesTo(BOB, kept.id)).toHaveLength(0);
  expect((await s.log(e.id)).filter((x) => x.occurrence === 'DECLINECOUNTER')).toMatchObject([{ data: { recipient: BOB, calendar_uid: uid } }]);
  expect((await s.log(kept.id)).filter((x) => x.occurrence === 'DECLINECOUNTER')).toHaveLength(0);
}, 120_000);
