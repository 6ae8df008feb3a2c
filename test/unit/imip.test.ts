import { describe, expect, it } from 'vitest';
import { parseImipReply } from '../../src/mail/inbound/imip.js';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

// Shaped like Google Calendar's REPLY (PRODID, folded ATTENDEE line, SEQUENCE echoed).
const GOOGLE_ACCEPT = crlf([
  'BEGIN:VCALENDAR',
  'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
  'VERSION:2.0',
  'CALSCALE:GREGORIAN',
  'METHOD:REPLY',
  'BEGIN:VEVENT',
  'DTSTART:20310311T140000Z',
  'DTEND:20310311T150000Z',
  'DTSTAMP:20310305T101500Z',
  'ORGANIZER;CN=calndro:mailto:meet+0123456789abcdef0123456789abcdef01234567@calndro.test',
  'UID:evt-42-1@calndro.test',
  'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Bob Exa',
  ' mple;X-NUM-GUESTS=0:mailto:Bob@Example.org',
  'CREATED:20310304T090000Z',
  'LAST-MODIFIED:20310305T101500Z',
  'SEQUENCE:2',
  'STATUS:CONFIRMED',
  'SUMMARY:Accepted: Project kickoff @ Tue Mar 11\\, 2031 2pm - 3pm (UTC) (Bob Example)',
  'TRANSP:OPAQUE',
  'END:VEVENT',
  'END:VCALENDAR',
]);

// Shaped like Outlook's "Decline" with a comment (MS-OXCICAL maps the body to COMMENT).
const OUTLOOK_DECLINE = crlf([
  'BEGIN:VCALENDAR',
  'METHOD:REPLY',
  'PRODID:Microsoft Exchange Server 2010',
  'VERSION:2.0',
  'BEGIN:VTIMEZONE',
  'TZID:UTC',
  'BEGIN:STANDARD',
  'DTSTART:16010101T000000',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0000',
  'END:STANDARD',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'ATTENDEE;PARTSTAT=DECLINED;CN="Carol":MAILTO:carol@contoso.example',
  'COMMENT;LANGUAGE=en-US:Sorry\\, I am travelling that week.\\n',
  'SUMMARY;LANGUAGE=en-US:Declined: Project kickoff',
  'DTSTART;TZID=UTC:20310311T140000',
  'DTEND;TZID=UTC:20310311T150000',
  'UID:evt-42-1@calndro.test',
  'CLASS:PUBLIC',
  'PRIORITY:5',
  'DTSTAMP:20310305T111500Z',
  'TRANSP:OPAQUE',
  'STATUS:CONFIRMED',
  'LOCATION;LANGUAGE=en-US:',
  'X-MICROSOFT-CDO-APPT-SEQUENCE:0',
  'END:VEVENT',
  'END:VCALENDAR',
]);

describe('parseImipReply', () => {
  it('reads a Google-style ACCEPTED reply (folded line, mixed-case address)', () => {
    expect(parseImipReply(GOOGLE_ACCEPT)).toEqual({
      uid: 'evt-42-1@calndro.test',
      attendee: 'bob@example.org',
      partstat: 'ACCEPTED',
      sequence: 2,
    });
  });

  it('reads an Outlook-style DECLINED reply with a comment and no SEQUENCE', () => {
    expect(parseImipReply(OUTLOOK_DECLINE)).toEqual({
      uid: 'evt-42-1@calndro.test',
      attendee: 'carol@contoso.example',
      partstat: 'DECLINED',
      sequence: 0,
      comment: 'Sorry, I am travelling that week.',
    });
  });

  it('accepts LF line endings and a lowercase partstat', () => {
    const lf = GOOGLE_ACCEPT.replace(/\r\n/g, '\n').replace('PARTSTAT=ACCEPTED', 'PARTSTAT=tentative');
    expect(parseImipReply(lf)).toMatchObject({ partstat: 'TENTATIVE' });
  });

  it.each([
    ['a REQUEST', GOOGLE_ACCEPT.replace('METHOD:REPLY', 'METHOD:REQUEST')],
    ['a COUNTER', GOOGLE_ACCEPT.replace('METHOD:REPLY', 'METHOD:COUNTER')],
    ['no METHOD', GOOGLE_ACCEPT.replace('METHOD:REPLY\r\n', '')],
    ['no ATTENDEE', GOOGLE_ACCEPT.replace(/ATTENDEE[^]*?Example\.org\r\n/, '')],
    ['no PARTSTAT', GOOGLE_ACCEPT.replace('PARTSTAT=ACCEPTED;', '')],
    ['no UID', GOOGLE_ACCEPT.replace('UID:evt-42-1@calndro.test\r\n', '')],
    ['no VEVENT', crlf(['BEGIN:VCALENDAR', 'METHOD:REPLY', 'VERSION:2.0', 'END:VCALENDAR'])],
    ['junk', 'hello, this is not a calendar'],
    ['truncated', GOOGLE_ACCEPT.slice(0, 200)],
    ['broken syntax', 'BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n;;;\r\n'],
    ['empty', ''],
  ])('%s → null', (_name, text) => {
    expect(parseImipReply(text)).toBeNull();
  });

  it('never throws on non-string input', () => {
    expect(parseImipReply(undefined as never)).toBeNull();
    expect(parseImipReply(Buffer.from(GOOGLE_ACCEPT) as never)).toBeNull();
  });
});
