// SPEC §10, §12: a time without a zone is in the sender's zone, with DST by the zone's rules;
// relative words are read from the mail's Date in the sender's zone.
import { describe, expect, it } from 'vitest';
import { zoneOfDateHeader } from '../../../src/domain/plain-times.js';
import { instantLabelInZone } from '../../../src/domain/time-labels.js';
import { read, slots } from './read.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

describe('DST change days', () => {
  it('Europe/Berlin in spring (30 March 2031, 02:00 → 03:00)', () => {
    expect(slots('29 March 2031 10:00', BERLIN)).toEqual(['2031-03-29T09:00:00Z 01:00:00']);
    expect(slots('30 March 2031 10:00', BERLIN)).toEqual(['2031-03-30T08:00:00Z 01:00:00']);
    expect(slots('30 March 2031 01:30', BERLIN)).toEqual(['2031-03-30T00:30:00Z 01:00:00']);
    // A range across the gap lasts what the clocks say: 01:00 to 04:00 is two hours that day.
    expect(slots('30 March 2031 01:00-04:00', BERLIN)).toEqual(['2031-03-30T00:00:00Z 02:00:00']);
  });

  it('reads a wall time in the spring gap with the offset before the change', () => {
    // 02:30 does not exist in Berlin that day: read as 02:30 CET = 01:30 UTC (03:30 CEST).
    expect(slots('30 March 2031 02:30', BERLIN)).toEqual(['2031-03-30T01:30:00Z 01:00:00']);
  });

  it('Europe/Berlin in autumn (26 October 2031, 03:00 → 02:00): a repeated hour is its first occurrence', () => {
    expect(slots('26 October 2031 02:30', BERLIN)).toEqual(['2031-10-26T00:30:00Z 01:00:00']);
    expect(slots('26 October 2031 10:00', BERLIN)).toEqual(['2031-10-26T09:00:00Z 01:00:00']);
    expect(slots('25 October 2031 10:00', BERLIN)).toEqual(['2031-10-25T08:00:00Z 01:00:00']);
    expect(slots('26 October 2031 01:00-04:00', BERLIN)).toEqual(['2031-10-25T23:00:00Z 04:00:00']);
  });

  it('America/New_York on its change days (9 March and 2 November 2031)', () => {
    expect(slots('March 8 2031 10am', NEW_YORK)).toEqual(['2031-03-08T15:00:00Z 01:00:00']);
    expect(slots('March 9 2031 10am', NEW_YORK)).toEqual(['2031-03-09T14:00:00Z 01:00:00']);
    expect(slots('March 9 2031 2:30am', NEW_YORK)).toEqual(['2031-03-09T07:30:00Z 01:00:00']);
    expect(slots('November 2 2031 1:30am', NEW_YORK)).toEqual(['2031-11-02T05:30:00Z 01:00:00']);
    expect(slots('November 2 2031 10am', NEW_YORK)).toEqual(['2031-11-02T15:00:00Z 01:00:00']);
  });

  it('reads a weekday after the reference in winter as a summer date when the zone has changed', () => {
    // Reference Friday 28 March 2031 (CET); "Monday 10:00" is 31 March, already CEST.
    expect(slots('Monday 10:00', BERLIN, new Date('2031-03-28T12:00:00Z'))).toEqual(['2031-03-31T08:00:00Z 01:00:00']);
  });
});

describe('the reference in the sender\'s zone', () => {
  // Date: Sun, 9 Mar 2031 23:30 -0800 — already Monday 07:30 in UTC.
  const sundayNight = new Date('2031-03-10T07:30:00Z');

  it('reads weekdays and "tomorrow" from the sender\'s Sunday, not from UTC\'s Monday', () => {
    expect(slots('Tuesday 10am', '-08:00', sundayNight)).toEqual(['2031-03-11T18:00:00Z 01:00:00']);
    expect(slots('Monday 10am', '-08:00', sundayNight)).toEqual(['2031-03-10T18:00:00Z 01:00:00']);
    expect(slots('tomorrow 9am', '-08:00', sundayNight)).toEqual(['2031-03-10T17:00:00Z 01:00:00']);
  });

  it('keeps a written zone over the sender\'s', () => {
    expect(slots('Tuesday 10am CET', '-08:00', sundayNight)).toEqual(['2031-03-11T09:00:00Z 01:00:00']);
    expect(slots('Tuesday 10am Europe/Berlin', '-08:00', sundayNight)).toEqual(['2031-03-11T09:00:00Z 01:00:00']);
  });

  it('refuses a zone that is none', () => {
    expect(() => read('Tuesday 10am', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zoneOfDateHeader', () => {
  it.each([
    ['Tue, 11 Mar 2031 14:00:00 +0900', '+09:00'],
    ['Tue, 11 Mar 2031 14:00:00 -0800', '-08:00'],
    ['Tue, 11 Mar 2031 14:00:00 +0530 (IST)', '+05:30'],
    ['Tue, 11 Mar 2031 14:00:00 +0000', '+00:00'],
    ['Tue, 11 Mar 2031 14:00:00 GMT', '+00:00'],
    ['Tue, 11 Mar 2031 14:00:00 EST', '-05:00'],
    ['Tue, 11 Mar 2031 14:00:00 -0000', null],
    ['Tue, 11 Mar 2031 14:00:00', null],
    ['garbage', null],
  ])('%s → %s', (header, zone) => {
    expect(zoneOfDateHeader(header)).toBe(zone);
  });
});

describe('instantLabelInZone', () => {
  it('shows the wall clock of the zone, DST included', () => {
    expect(instantLabelInZone(new Date('2031-03-11T13:00:00Z'), 'Europe/Paris')).toBe('Tue 11 Mar 2031, 14:00 Europe/Paris');
    expect(instantLabelInZone(new Date('2031-07-11T13:00:00Z'), 'Europe/Paris')).toBe('Fri 11 Jul 2031, 15:00 Europe/Paris');
    expect(instantLabelInZone(new Date('2031-03-11T03:00:00Z'), '-08:00')).toBe('Mon 10 Mar 2031, 19:00 UTC-08:00');
  });
});

describe('zones written in words', () => {
  // Sender in Chicago; Tuesday 11 March 2031 is after the US change (CDT), before the EU one.
  const CHICAGO = 'America/Chicago';
  it.each([
    ['Tue 11 Mar 14:00', '2031-03-11T19:00:00Z'],
    ['Tue 11 Mar 14:00 Eastern Time', '2031-03-11T18:00:00Z'],
    ['Tue 11 Mar 14:00 Pacific Standard Time', '2031-03-11T21:00:00Z'],
    ['Tue 11 Mar 14:00 ET', '2031-03-11T18:00:00Z'],
    ['Tue 11 Mar 14:00 London time', '2031-03-11T14:00:00Z'],
    ['Tue 11 Mar 14:00 New York time', '2031-03-11T18:00:00Z'],
    ['Tue 11 Mar 14:00 UTC+2', '2031-03-11T12:00:00Z'],
    ['Tue 11 Mar 14:00 GMT-5', '2031-03-11T19:00:00Z'],
    ['Tue 11 Mar 14:00 CEST', '2031-03-11T12:00:00Z'],
    ['mardi 11 mars à 14h heure de Paris', '2031-03-11T13:00:00Z'],
    ['Dienstag, 11. März 14 Uhr Berliner Zeit', '2031-03-11T13:00:00Z'],
    ['Dienstag, 11. März 14 Uhr MEZ', '2031-03-11T13:00:00Z'],
    ['Tue 11 Mar 14:00 your time', '2031-03-11T19:00:00Z'],
  ])('%s', (text, begin) => {
    expect(slots(text, CHICAGO)).toEqual([`${begin} 01:00:00`]);
  });

  it('gives each of several written zones to the time before it', () => {
    expect(slots('Tue 11 Mar 14:00 Eastern Time or Wed 12 Mar 14:00 Pacific Time', CHICAGO)).toEqual([
      '2031-03-11T18:00:00Z 01:00:00', '2031-03-12T21:00:00Z 01:00:00',
    ]);
  });

  it('gives one written zone to every time of a list', () => {
    expect(slots('Tue or Wed at 10 Europe/London', CHICAGO)).toEqual(['2031-03-11T10:00:00Z 01:00:00', '2031-03-12T10:00:00Z 01:00:00']);
  });
});
