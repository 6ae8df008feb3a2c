// The invite's ICS names ORGANIZER meet+<token>; calendars store and display it, so that token
// may only carry an iMIP REPLY: the API, the page and plain replies refuse it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startReplyScene, type ReplyScene } from '../../helpers/reply-scene.js';
import { BOB } from '../../helpers/fixtures.js';

let s: ReplyScene;
beforeAll(async () => { s = await startReplyScene(); });
afterAll(() => s?.stop());

it('the meet+ token from a real invite is refused by the API, the page and a text reply', async () => {
  const { e, invite, organizer, token } = await s.invited();
  // The invite's own reply+ token is a different, full one.
  expect(s.replyAddress(invite)).not.toContain(token);
  expect((await s.api('GET', `/${e.id}/`, { auth: { et: s.replyAddress(invite).slice(6, 46) } })).status).toBe(200);

  expect((await s.api('GET', `/${e.id}/`, { auth: { et: token } })).status).toBe(403);
  expect((await s.api('GET', `/${e.id}/log/`, { auth: { et: token } })).status).toBe(403);
  expect((await s.api('PATCH', `/${e.id}/`, { auth: { et: token }, body: { title: 'Hijacked' } })).status).toBe(403);
  const page = await s.api('GET', `/${e.id}/`, { auth: { et: token }, headers: { accept: 'text/html' } });
  expect(page.status).toBe(403);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);

  const logBefore = (await s.log(e.id)).filter((x) => x.occurrence !== 'VIEW').length;
  const mailsBefore = s.catcher.messages.length;
  expect((await s.reply(BOB, organizer, 'none')).ok).toBe(true);
  await s.settle();
  const row = (await s.t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0]!;
  expect(row.status).toBe('quarantined');
  expect((await s.log(e.id)).filter((x) => x.occurrence !== 'VIEW')).toHaveLength(logBefore);
  expect(s.catcher.messages.length).toBe(mailsBefore);
  expect((await s.event(e.id)).title).toBe('Quarterly review');
});

it('a calendar REPLY to the meet+ address is recorded', async () => {
  const { e, organizer, uid } = await s.invited();
  const reply = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'METHOD:REPLY', 'BEGIN:VEVENT',
    'DTSTART:20310311T140000Z', 'DTEND:20310311T150000Z', 'DTSTAMP:20310301T000000Z', `ORGANIZER:mailto:${organizer}`, `UID:${uid}`,
    `ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:mailto:${BOB}`, 'SEQUENCE:0', 'STATUS:CONFIRMED', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
  await transport.sendMail({ from: BOB, to: organizer, subject: 'Accepted: Quarterly review', text: 'Bob has accepted this invitation.',
    icalEvent: { method: 'REPLY', content: reply } });
  transport.close();
  await s.settle();
  expect((await s.log(e.id)).find((x) => x.occurrence === 'RSVP')).toMatchObject({ effector: BOB, data: { partstat: 'ACCEPTED' } });
});
