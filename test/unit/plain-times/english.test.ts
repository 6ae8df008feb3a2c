// SPEC §10: candidate times in English, relative to the mail's Date (Sunday 9 March 2031, Berlin).
import { describe, expect, it } from 'vitest';
import { read, slots } from './read.js';

describe('English times', () => {
  it.each([
    ['Tue 11 Mar 14:00-15:00', '2031-03-11T13:00:00Z 01:00:00'],
    ['March 12 at 9:30 for 45 min', '2031-03-12T08:30:00Z 00:45:00'],
    ['2031-03-13 16:00 EST', '2031-03-13T21:00:00Z 01:00:00'],
    ['next Friday 3pm', '2031-03-14T14:00:00Z 01:00:00'],
    ['Friday from 2 to 3pm', '2031-03-14T13:00:00Z 01:00:00'],
    ['Friday 14:00 to 15:30', '2031-03-14T13:00:00Z 01:30:00'],
    ['14:00 to 15:30 on Thursday', '2031-03-13T13:00:00Z 01:30:00'],
    ['Friday at 2:30pm for 1.5 hours', '2031-03-14T13:30:00Z 01:30:00'],
    ['Friday at 2:30pm for 1h', '2031-03-14T13:30:00Z 01:00:00'],
    ['Friday at 2:30pm for 1h30', '2031-03-14T13:30:00Z 01:30:00'],
    ['Friday at 2:30pm for an hour', '2031-03-14T13:30:00Z 01:00:00'],
    ['Friday at 2:30pm (45 min)', '2031-03-14T13:30:00Z 00:45:00'],
    ['tomorrow at noon', '2031-03-10T11:00:00Z 01:00:00'],
    ['tonight at 8', '2031-03-09T19:00:00Z 01:00:00'],
    ['today 3pm', '2031-03-09T14:00:00Z 01:00:00'],
    ['in two weeks at 10am', '2031-03-23T09:00:00Z 01:00:00'],
    ['Tuesday 11 March 2031, 10:00 - 11:00 (CET)', '2031-03-11T09:00:00Z 01:00:00'],
    ['Tuesday 10am CET', '2031-03-11T09:00:00Z 01:00:00'],
    ['Wed 3pm +02:00', '2031-03-12T13:00:00Z 01:00:00'],
    ['Tue 3pm UTC', '2031-03-11T15:00:00Z 01:00:00'],
    ['Thu 15:00 Europe/London', '2031-03-13T15:00:00Z 01:00:00'],
    ['Thu 15:00 America/New_York', '2031-03-13T19:00:00Z 01:00:00'],
    ['Monday 9:00 - 17:00', '2031-03-10T08:00:00Z 08:00:00'],
    ['Friday 23:00-01:00', '2031-03-14T22:00:00Z 02:00:00'],
    ['- Tue 11 Mar 14:00', '2031-03-11T13:00:00Z 01:00:00'],
    ['2) Tue 11 Mar 14:00', '2031-03-11T13:00:00Z 01:00:00'],
  ])('%s', (text, expected) => {
    const r = read(text);
    expect(r.unreadable).toEqual([]);
    expect(slots(text)).toEqual([expected]);
  });

  it('reads a weekday as its next occurrence after the reference', () => {
    // Sunday 13:00: "Sunday" is next week's, "Monday" tomorrow's.
    expect(slots('Sunday 10am\nMonday 10am')).toEqual(['2031-03-10T09:00:00Z 01:00:00', '2031-03-16T09:00:00Z 01:00:00']);
  });

  it('gives a list of days the one time they share', () => {
    expect(slots('Tue or Wed at 10')).toEqual(['2031-03-11T09:00:00Z 01:00:00', '2031-03-12T09:00:00Z 01:00:00']);
    expect(slots('Mon, Tue or Wed at 10am for 30 min')).toEqual([
      '2031-03-10T09:00:00Z 00:30:00', '2031-03-11T09:00:00Z 00:30:00', '2031-03-12T09:00:00Z 00:30:00',
    ]);
    expect(slots('Monday and Tuesday 14:00-15:00')).toEqual(['2031-03-10T13:00:00Z 01:00:00', '2031-03-11T13:00:00Z 01:00:00']);
  });

  it('gives a list of times the one day they share', () => {
    expect(slots('Tuesday 10:00 or 14:00')).toEqual(['2031-03-11T09:00:00Z 01:00:00', '2031-03-11T13:00:00Z 01:00:00']);
  });

  it('reads several times on one line and parts separated by ;', () => {
    expect(slots('Tue 10am; Wed 2pm; Thu 4pm CET')).toEqual([
      '2031-03-11T09:00:00Z 01:00:00', '2031-03-12T13:00:00Z 01:00:00', '2031-03-13T15:00:00Z 01:00:00',
    ]);
    expect(slots('Monday 9am, Tuesday 2pm')).toEqual(['2031-03-10T08:00:00Z 01:00:00', '2031-03-11T13:00:00Z 01:00:00']);
  });

  it('uses the default length when none is written', () => {
    expect(read('Tue 10am', 'Europe/Berlin', undefined, undefined, 25).slots[0]!.durationUs).toBe(25n * 60_000_000n);
  });

  it('collapses duplicates written differently', () => {
    expect(slots('Tue 11 Mar 14:00\n2031-03-11 14:00\nTuesday 2pm')).toEqual(['2031-03-11T13:00:00Z 01:00:00']);
  });
});

describe('what chrono alone reads otherwise', () => {
  it('takes a weekday named on that same weekday for the next week', () => {
    // Monday 10 March 2031, 07:55 in -04:00: "Monday 9:30" is 17 March, not two hours later.
    expect(slots('Monday 9:30am-10am', '-04:00', new Date('2031-03-10T11:55:00Z'))).toEqual(['2031-03-17T13:30:00Z 00:30:00']);
  });

  it('reads a range ending at noon after a weekday forward', () => {
    expect(slots('Wednesday from 10:30am to noon', '-05:00', new Date('2031-04-12T16:00:00Z'))).toEqual(['2031-04-16T15:30:00Z 01:30:00']);
  });

  it('ends a range past midnight on the next day', () => {
    expect(slots('Wed 12 Mar 22:00 - 00:30')).toEqual(['2031-03-12T21:00:00Z 02:30:00']);
    expect(slots('11 Mar 2031 23:00-01:00')).toEqual(['2031-03-11T22:00:00Z 02:00:00']);
  });

  it('takes a weekday beside its date as that date', () => {
    expect(slots('20 March, Thursday, 10am')).toEqual(['2031-03-20T09:00:00Z 01:00:00']);
    expect(slots('Thursday, 20 March, 10am or 2pm')).toEqual(['2031-03-20T09:00:00Z 01:00:00', '2031-03-20T13:00:00Z 01:00:00']);
  });
});
