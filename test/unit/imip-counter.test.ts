// iMIP COUNTER reading (RFC 5546 §3.2.7) and UID matching, on the client shapes of
// test/fixtures/imip (Outlook with an Exchange TZID, Google as application/ics without method).
import { describe, expect, it } from 'vitest';
import { parseImipCounter, parseImipReply } from '../../src/mail/inbound/imip.js';
import { readMail } from '../../src/mail/inbound/read-mail.js';
import { uidOfEvent } from '../../src/mail/calendar-uid.js';
import { calendarFixture } from '../helpers/calendar-fixtures.js';

const fill = { to: `meet+${'a'.repeat(40)}@calndro.test`, attendee: 'bob@example.org', uid: 'calndro-7@calndro.test', sequence: 2 };
const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
const counter = (...vevent: string[]) => crlf(['BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:COUNTER', 'BEGIN:VEVENT', 'UID:calndro-7@calndro.test', 'DTSTAMP:20310305T101500Z', ...vevent, 'END:VEVENT', 'END:VCALENDAR']);

describe('parseImipCounter', () => {
  it.each(['outlook-counter.eml', 'google-counter.eml'])('%s → the proposed start and end in UTC, the attendee, UID and SEQUENCE', async (file) => {
    const facts = await readMail(calendarFixture(file, fill), 'bob@example.org');
    expect(facts!.rsvp).toBeNull();
    expect(facts!.counter).toMatchObject({ uid: fill.uid, attendee: 'bob@example.org', sequence: 2,
      startMs: Date.parse('2031-03-14T15:00:00Z'), endMs: Date.parse('2031-03-14T16:00:00Z') });
  });

  it('an Outlook.com REPLY without ORGANIZER is still a REPLY', async () => {
    const facts = await readMail(calendarFixture('outlook-com-reply-no-organizer.eml', fill), 'bob@example.org');
    expect(facts!.rsvp).toEqual({ uid: fill.uid, attendee: 'bob@example.org', partstat: 'ACCEPTED', sequence: 2 });
    expect(facts!.counter).toBeNull();
  });

  it('reads DURATION for a missing DTEND, and no ATTENDEE as null', () => {
    expect(parseImipCounter(counter('DTSTART:20310314T150000Z', 'DURATION:PT90M'))).toEqual({
      uid: 'calndro-7@calndro.test', attendee: null, sequence: 0, startMs: Date.parse('2031-03-14T15:00:00Z'), endMs: Date.parse('2031-03-14T16:30:00Z') });
  });

  it.each([
    ['no end', counter('DTSTART:20310314T150000Z')],
    ['end before start', counter('DTSTART:20310314T150000Z', 'DTEND:20310314T140000Z')],
    ['no start', counter('DTEND:20310314T150000Z')],
    ['a REPLY', counter('DTSTART:20310314T150000Z', 'DTEND:20310314T160000Z').replace('METHOD:COUNTER', 'METHOD:REPLY')],
    ['garbage', 'BEGIN:VCALENDAR\r\nMETHOD:COUNTER\r\nBEGIN:VEVENT\r\n'],
  ])('%s → null', (_name, text) => {
    expect(parseImipCounter(text)).toBeNull();
  });

  it('a COUNTER is never read as a REPLY', () => {
    expect(parseImipReply(counter('DTSTART:20310314T150000Z', 'DTEND:20310314T160000Z', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:b@x.org'))).toBeNull();
  });
});

describe('uidOfEvent', () => {
  it.each([
    ['calndro-7@calndro.test', true],
    ['calndro-7-1931266800000000-3600000000@calndro.test', true],
    ['CALNDRO-7@CALNDRO.TEST', false],
    ['calndro-7@CALNDRO.TEST', true],
    ['calndro-70@calndro.test', false],
    ['calndro-7@evil.test', false],
    ['calndro-7@calndro.test.evil', false],
    ['x-calndro-7@calndro.test', false],
  ])('%s → %s', (uid, want) => expect(uidOfEvent(uid, 7, 'calndro.test')).toBe(want));
});
