import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  IcsBuildError,
  buildCancelIcs,
  buildDeclineCounterIcs,
  buildProposalIcs,
  buildRequestIcs,
} from '../../src/mail/outbound/ics.js';
import { SLOTS, input } from './outbound-fixture.js';

/** Content lines as a reader sees them (RFC 5545 §3.1 unfolding). */
const lines = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
const count = (ics: string, line: string): number => lines(ics).filter((l) => l === line).length;

function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return { cal, events: cal.getAllSubcomponents('vevent') };
}

function expectWellFormed(ics: string): void {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  for (const physical of ics.split('\r\n')) {
    expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
  }
  // ics 3.12 quirks we strip: quoted token parameters and the feed-refresh hint.
  expect(ics).not.toMatch(/PARTSTAT="|ROLE="|X-PUBLISHED-TTL/);
}

describe('buildProposalIcs (METHOD:PUBLISH)', () => {
  const ics = buildProposalIcs(input('proposal'));

  it('has one tentative VEVENT per slot, UTC start and end, no attendee', () => {
    expectWellFormed(ics);
    const l = lines(ics);
    expect(l).toContain('METHOD:PUBLISH');
    expect(count(ics, 'BEGIN:VEVENT')).toBe(3);
    expect(count(ics, 'STATUS:TENTATIVE')).toBe(3);
    expect(l.some((x) => x.startsWith('ATTENDEE'))).toBe(false);
    expect(l).toContain('DTSTART:20310311T140000Z');
    expect(l).toContain('DTEND:20310311T150000Z');
    // across midnight and longer than a day: DTEND is emitted (not DURATION)
    expect(l).toContain('DTSTART:20310311T233000Z');
    expect(l).toContain('DTEND:20310312T003000Z');
    expect(l).toContain('DTSTART:20310312T090000Z');
    expect(l).toContain('DTEND:20310313T110000Z');
    expect(l.some((x) => x.startsWith('DURATION'))).toBe(false);
    expect(count(ics, 'DTSTAMP:20310301T100000Z')).toBe(3);
    expect(l).toContain('ORGANIZER;CN="calndro":MAILTO:calndro@example.test');
  });

  it('gives each slot a stable UID under the mail domain', () => {
    const l = lines(ics);
    expect(l).toContain('UID:calndro-7-1931004000000000-3600000000@example.test');
    expect(l).toContain('UID:calndro-7-1931038200000000-3600000000@example.test');
    expect(l).toContain('UID:calndro-7-1931072400000000-93600000000@example.test');
    // pure: same input, same bytes (DTSTAMP from input.now, no random UID)
    expect(buildProposalIcs(input('proposal'))).toBe(ics);
  });

  it('parses in ical.js with the same values', () => {
    const { cal, events } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(events).toHaveLength(3);
    events.forEach((ve, i) => {
      const slot = SLOTS[i]!;
      expect(ve.getFirstPropertyValue('status')).toBe('TENTATIVE');
      expect(ve.getFirstProperty('attendee')).toBeNull();
      const start = ve.getFirstPropertyValue('dtstart') as ICAL.Time;
      expect(start.toJSDate().toISOString()).toBe(new Date(slot.beginMs).toISOString());
      expect(String(ve.getFirstPropertyValue('uid'))).toMatch(/^calndro-7-\d+-\d+@example\.test$/);
      expect(ve.getFirstPropertyValue('summary')).toBe(`Quarterly review (option ${slot.number} of 3)`);
    });
    const end = events[2]!.getFirstPropertyValue('dtend') as ICAL.Time;
    expect(end.toJSDate().toISOString()).toBe('2031-03-13T11:00:00.000Z');
  });

  it('keeps text with separators and non-ASCII intact and folds by octets', () => {
    const title = 'Réunion, budget; « planning » '.repeat(4).trim();
    const out = buildProposalIcs(input('proposal', { title }));
    expectWellFormed(out);
    const summary = parse(out).events[0]!.getFirstPropertyValue('summary');
    expect(summary).toBe(`${title} (option 1 of 3)`);
  });

  it('throws when there is no slot (calling it then is a bug)', () => {
    expect(() => buildProposalIcs(input('proposal', { slots: [] }))).toThrow(IcsBuildError);
  });
});

describe('buildRequestIcs (METHOD:REQUEST)', () => {
  const ics = buildRequestIcs(input('confirmation', { sequence: 2 }));

  it('invites every party to the confirmed slot', () => {
    expectWellFormed(ics);
    const l = lines(ics);
    expect(l).toContain('METHOD:REQUEST');
    expect(count(ics, 'BEGIN:VEVENT')).toBe(1);
    expect(l).toContain('UID:calndro-7@example.test');
    expect(l).toContain('SEQUENCE:2');
    expect(l).toContain('STATUS:CONFIRMED');
    expect(l).toContain('DTSTART:20310311T233000Z');
    expect(l).toContain('DTEND:20310312T003000Z');
    expect(l).toContain('DTSTAMP:20310301T100000Z');
    expect(l).toContain('ORGANIZER;CN="calndro":MAILTO:meet+0123abcd@example.test');
    expect(l).toContain(
      'ATTENDEE;RSVP=TRUE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN="alice@example.test":mailto:alice@example.test',
    );
    expect(l).toContain(
      'ATTENDEE;RSVP=TRUE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN="bob@example.test":mailto:bob@example.test',
    );
  });

  it('parses in ical.js with the same values', () => {
    const { cal, events } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const ve = events[0]!;
    expect(ve.getFirstPropertyValue('uid')).toBe('calndro-7@example.test');
    expect(ve.getFirstPropertyValue('sequence')).toBe(2);
    expect((ve.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe(
      '2031-03-11T23:30:00.000Z',
    );
    expect(String(ve.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:meet+0123abcd@example.test');
    const attendees = ve.getAllProperties('attendee');
    expect(attendees.map((a) => String(a.getFirstValue()))).toEqual([
      'mailto:alice@example.test',
      'mailto:bob@example.test',
    ]);
    for (const a of attendees) {
      expect(a.getParameter('partstat')).toBe('NEEDS-ACTION');
      expect(a.getParameter('rsvp')).toBe('TRUE');
    }
  });

  it('defaults SEQUENCE to 0 and sends IDN domains as punycode', () => {
    const out = buildRequestIcs(
      input('confirmation', { sequence: undefined, parties: ['joe@bücher.example'] }),
    );
    expect(lines(out)).toContain('SEQUENCE:0');
    expect(out).toContain(':mailto:joe@xn--bcher-kva.example');
  });

  it('builds for every address the API accepts: non-ASCII local parts go percent-encoded (RFC 6068)', () => {
    const out = buildRequestIcs(input('confirmation', { parties: ['zoë@bücher.example', 'a\u0001b@example.test'] }));
    expect(out).toContain(':mailto:zo%C3%AB@xn--bcher-kva.example');
    expect(out).toContain(':mailto:a%01b@example.test');
  });

  it('throws a typed error on data ics rejects or on missing fields', () => {
    const bad = () => buildRequestIcs(input('confirmation', { parties: ['not-an-address'] }));
    expect(bad).toThrow(IcsBuildError);
    expect(bad).toThrow(/attendees\[0\]\.email/);
    expect(() => buildRequestIcs(input('confirmation', { organizerAddress: undefined }))).toThrow(IcsBuildError);
    expect(() => buildRequestIcs(input('confirmation', { confirmedSlot: undefined }))).toThrow(IcsBuildError);
    const error = (() => {
      try {
        bad();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: 'IcsBuildError', code: 'ics_build_failed' });
  });
});

describe('buildCancelIcs (METHOD:CANCEL)', () => {
  const request = buildRequestIcs(input('confirmation', { sequence: 2 }));
  const ics = buildCancelIcs(input('cancellation', { sequence: 3 }));

  it('cancels the same UID with a higher SEQUENCE and lists the attendees', () => {
    expectWellFormed(ics);
    const l = lines(ics);
    expect(l).toContain('METHOD:CANCEL');
    expect(l).toContain('STATUS:CANCELLED');
    expect(l).toContain('SEQUENCE:3');
    expect(l.filter((x) => x.startsWith('UID:'))).toEqual(lines(request).filter((x) => x.startsWith('UID:')));
    expect(l.filter((x) => x.startsWith('ATTENDEE;'))).toHaveLength(2);
    expect(l).toContain('ORGANIZER;CN="calndro":MAILTO:meet+0123abcd@example.test');
  });

  it('parses in ical.js with the same values', () => {
    const { cal, events } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    const ve = events[0]!;
    expect(ve.getFirstPropertyValue('uid')).toBe('calndro-7@example.test');
    expect(ve.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ve.getFirstPropertyValue('sequence')).toBe(3);
    expect(ve.getAllProperties('attendee').map((a) => String(a.getFirstValue()))).toEqual([
      'mailto:alice@example.test',
      'mailto:bob@example.test',
    ]);
  });

  it('requires the bumped sequence (receivers ignore a CANCEL that is not newer)', () => {
    expect(() => buildCancelIcs(input('cancellation', { sequence: undefined }))).toThrow(IcsBuildError);
  });
});

describe('buildDeclineCounterIcs (METHOD:DECLINECOUNTER, RFC 5546 §3.2.8)', () => {
  const FRIDAY = { beginMs: Date.parse('2031-03-14T15:00:00Z'), durationMs: 3_600_000 };
  const counterInput = input('decline-counter', { details: { suggested: [FRIDAY], proposer: 'bob@example.test', suggestedVia: 'calendar', counter: { uid: 'calndro-7@example.test', sequence: 3 } } });
  const ics = buildDeclineCounterIcs(counterInput);

  it('names the COUNTER (UID, SEQUENCE, its time), the meet+ ORGANIZER and the proposer; parses in ical.js', () => {
    expectWellFormed(ics);
    const { cal, events } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('DECLINECOUNTER');
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.getFirstPropertyValue('uid')).toBe('calndro-7@example.test');
    expect(e.getFirstPropertyValue('sequence')).toBe(3);
    expect(String(e.getFirstPropertyValue('dtstart'))).toBe('2031-03-14T15:00:00Z');
    expect(String(e.getFirstPropertyValue('dtend'))).toBe('2031-03-14T16:00:00Z');
    expect(String(e.getFirstPropertyValue('dtstamp'))).toBe('2031-03-01T10:00:00Z');
    expect(String(e.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:meet+0123abcd@example.test');
    expect(e.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase())).toEqual(['mailto:bob@example.test']);
    expect(buildDeclineCounterIcs(counterInput)).toBe(ics);
  });

  it('refuses a mail without the counter it declines', () => {
    expect(() => buildDeclineCounterIcs(input('decline-counter'))).toThrow(IcsBuildError);
  });
});
