// SPEC §2: every accepted input form with its exact normalized output.
import { describe, expect, it } from 'vitest';
import { SPEC_BEGIN_FORMS } from '../fixtures/spec-times.js';
import {
  MAX_DURATION_US,
  MAX_SLOTS,
  formatBegin,
  formatDuration,
  normalizeSlots,
  parseBegin,
  parseDuration,
  parseSlotList,
  sameSlotLists,
  slotToJson,
  type Slot,
} from '../../src/domain/slots.js';

/** parseBegin then formatBegin; null when the input is rejected. */
const begin = (input: string, zone = 'UTC'): string | null => {
  const us = parseBegin(input, zone);
  return us === null ? null : formatBegin(us);
};
const duration = (input: string): string | null => {
  const us = parseDuration(input);
  return us === null ? null : formatDuration(us);
};

const S = 1_000_000n;
const MIN = 60n * S;
const HOUR = 60n * MIN;
const DAY = 24n * HOUR;

const slot = (b: string, d: string, zone = 'UTC'): Slot => ({ beginUs: parseBegin(b, zone)!, durationUs: parseDuration(d)! });
const json = (slots: Slot[]) => slots.map(slotToJson);

describe('parseBegin / formatBegin: SPEC §2 input forms', () => {
  it.each(SPEC_BEGIN_FORMS)('%j → %s', (input, expected) => {
    expect(begin(input)).toBe(expected);
  });

  it.each([
    ['2022-11-01T01:11:22.000000Z', '2022-11-01T01:11:22Z'], // zero fraction is not written
    ['2022-11-01T01:11:22.0Z', '2022-11-01T01:11:22Z'],
    ['2022-11-01T01:11:22.5Z', '2022-11-01T01:11:22.500000Z'],
    ['2022-11-01T01:11:22,5Z', '2022-11-01T01:11:22.500000Z'],
    ['2022-11-01T01:11:22.000001Z', '2022-11-01T01:11:22.000001Z'],
    ['2022-11-01T01:11:22.123456+01:00', '2022-11-01T00:11:22.123456Z'],
    ['2022-11-01T01:11:22.1234567Z', '2022-11-01T01:11:22.123456Z'], // beyond µs truncated
    ['2022-11-01T01:11:22.999999999Z', '2022-11-01T01:11:22.999999Z'],
  ])('fraction %j → %s', (input, expected) => {
    expect(begin(input)).toBe(expected);
  });

  it('keeps microseconds exactly (beyond what a JS Date holds)', () => {
    expect(parseBegin('2022-11-01T01:11:22.000001Z')! - parseBegin('2022-11-01T01:11:22Z')!).toBe(1n);
    expect(parseBegin('1970-01-01T00:00:00Z')).toBe(0n);
    expect(parseBegin('1970-01-01T00:00:01.000002Z')).toBe(1_000_002n);
  });

  it('formats instants before 1970 with a positive fraction', () => {
    expect(formatBegin(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatBegin(-S)).toBe('1969-12-31T23:59:59Z');
    expect(begin('1969-12-31T23:59:59.5Z')).toBe('1969-12-31T23:59:59.500000Z');
  });

  it.each([
    '2022-02-30T00:00:00', // no such day
    '2022-02-29T10:00:00', // not a leap year
    '2022-04-31T10:00:00',
    '2022-13-01T10:00:00',
    '2022-00-10T10:00:00',
    '2022-11-00T10:00:00',
    '2022-11-01T25:00:00',
    '2022-11-01T24:00:00',
    '2022-11-01T10:60:00',
    '2022-11-01T10:00:60',
    '2022-11-01T10:00:00+24:00',
    '2022-11-01T10:00:00+02:60',
    '2022-11-01T10:00:00+2',
    '2022-11-01',
    '2022-11-01T',
    '22-11-01T10:00:00',
    '2022/11/01 10:00:00',
    '2022-11-01T10:00:00 Europe/Berlin',
    'garbage',
    'now',
    '',
  ])('rejects %j', (input) => {
    expect(parseBegin(input)).toBeNull();
    expect(parseBegin(input, 'Europe/Berlin')).toBeNull();
  });

  it('accepts 29 February in a leap year', () => {
    expect(begin('2024-02-29T10:00:00')).toBe('2024-02-29T10:00:00Z');
  });

  // BUG (found by this test): Date.UTC maps years 0-99 to 1900-1999, so a four-digit year
  // below 100 is silently moved by 1900 years instead of kept or rejected.
  it.each([
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00Z'],
    ['0001-06-15T12:00:00Z', '0001-06-15T12:00:00Z'],
  ])('does not move year %j into the 1900s', (input, exact) => {
    expect([null, exact]).toContain(begin(input));
  });
});

describe('parseBegin: no offset means DEFAULT_TIMEZONE', () => {
  it('UTC', () => {
    expect(begin('2022-07-01T12:00:00', 'UTC')).toBe('2022-07-01T12:00:00Z');
    expect(begin('2022-01-15T12:00:00', 'UTC')).toBe('2022-01-15T12:00:00Z');
  });

  it('Europe/Berlin in summer (CEST, +02:00) and winter (CET, +01:00)', () => {
    expect(begin('2022-07-01T12:00:00', 'Europe/Berlin')).toBe('2022-07-01T10:00:00Z');
    expect(begin('2022-01-15T12:00:00', 'Europe/Berlin')).toBe('2022-01-15T11:00:00Z');
    expect(begin('2022-07-01T12:00:00.25', 'Europe/Berlin')).toBe('2022-07-01T10:00:00.250000Z');
  });

  it('an explicit offset wins over the default zone', () => {
    expect(begin('2022-07-01T12:00:00Z', 'Europe/Berlin')).toBe('2022-07-01T12:00:00Z');
    expect(begin('2022-07-01T12:00:00+05:00', 'Europe/Berlin')).toBe('2022-07-01T07:00:00Z');
  });

  it('around the spring change (2022-03-27, 02:00 CET → 03:00 CEST)', () => {
    expect(begin('2022-03-27T01:59:59', 'Europe/Berlin')).toBe('2022-03-27T00:59:59Z');
    expect(begin('2022-03-27T03:00:00', 'Europe/Berlin')).toBe('2022-03-27T01:00:00Z');
    expect(begin('2022-03-27T12:00:00', 'Europe/Berlin')).toBe('2022-03-27T10:00:00Z');
    // 02:30 does not exist: read with the offset before the change (as Python/Django and
    // Temporal "compatible" do), i.e. the same instant as 03:30 CEST.
    expect(begin('2022-03-27T02:30:00', 'Europe/Berlin')).toBe('2022-03-27T01:30:00Z');
  });

  it('around the autumn change (2022-10-30, 03:00 CEST → 02:00 CET)', () => {
    expect(begin('2022-10-30T01:59:59', 'Europe/Berlin')).toBe('2022-10-29T23:59:59Z');
    expect(begin('2022-10-30T03:00:00', 'Europe/Berlin')).toBe('2022-10-30T02:00:00Z');
    expect(begin('2022-10-30T12:00:00', 'Europe/Berlin')).toBe('2022-10-30T11:00:00Z');
  });

  it('America/New_York: the autumn hour that occurs twice is its first occurrence (EDT)', () => {
    expect(begin('2022-11-06T01:30:00', 'America/New_York')).toBe('2022-11-06T05:30:00Z');
  });

  // BUG (found by these tests): the two-pass offset lookup resolves DST edge times one way for
  // zones east of UTC and the other way for zones west of it. Python/Django (fold=0) and
  // Temporal ("compatible") both read an ambiguous time as its first occurrence and a
  // nonexistent time with the offset before the change; the code above does that for
  // Berlin's gap and New York's repeated hour, but not for these two.
  it('Europe/Berlin: the autumn hour that occurs twice is its first occurrence (CEST)', () => {
    // 02:30 CEST = 00:30Z; the code answers 01:30Z (02:30 CET, the second occurrence).
    expect(begin('2022-10-30T02:30:00', 'Europe/Berlin')).toBe('2022-10-30T00:30:00Z');
  });

  it('America/New_York: a time in the spring gap moves forward, not back', () => {
    // 02:30 does not exist; with EST (before the change) it is 07:30Z = 03:30 EDT. The code
    // answers 06:30Z = 01:30 EST, an hour before anything the user could have meant.
    expect(begin('2022-03-13T02:30:00', 'America/New_York')).toBe('2022-03-13T07:30:00Z');
  });

  it('a fixed offset as the zone (a sender known only by their Date header)', () => {
    expect(begin('2031-03-11T12:00:00', '+09:00')).toBe('2031-03-11T03:00:00Z');
    expect(begin('2031-03-11T12:00:00', '-05:30')).toBe('2031-03-11T17:30:00Z');
  });

  it('a year before 100 in a zone stays that year (the offset is not taken from the 1900s)', () => {
    // 0099 predates standard time: Berlin's local mean time, +00:53:28.
    expect(begin('0099-06-01T12:00:00', 'Europe/Berlin')).toBe('0099-06-01T11:06:32Z');
  });
});

describe('parseDuration / formatDuration', () => {
  it.each([
    ['00:10', '00:10:00'], // HH:MM: ten minutes, not ten seconds
    ['01:30', '01:30:00'],
    ['1:30', '01:30:00'],
    ['23:59', '23:59:00'],
    ['24:00', '1 00:00:00'],
    ['00:00:10', '00:00:10'],
    ['01:02:03', '01:02:03'],
    ['00:00:01.5', '00:00:01.500000'],
    ['00:00:00.000001', '00:00:00.000001'],
    ['1 02:03:04', '1 02:03:04'],
    ['7 00:00:00', '7 00:00:00'],
    ['2 00:00', '2 00:00:00'],
    ['PT1H30M', '01:30:00'],
    ['PT10M', '00:10:00'],
    ['PT90M', '01:30:00'],
    ['P1D', '1 00:00:00'],
    ['P1DT2H', '1 02:00:00'],
    ['P1W', '7 00:00:00'],
    ['PT0.5S', '00:00:00.500000'],
    ['PT1.5H', '01:30:00'],
    ['pt1h', '01:00:00'],
    [' 01:00 ', '01:00:00'],
  ])('%j → %s', (input, expected) => {
    expect(duration(input)).toBe(expected);
  });

  it('parses to exact microseconds', () => {
    expect(parseDuration('00:10')).toBe(10n * MIN);
    expect(parseDuration('00:00:10')).toBe(10n * S);
    expect(parseDuration('1 02:03:04')).toBe(DAY + 2n * HOUR + 3n * MIN + 4n * S);
    expect(parseDuration('PT1H30M')).toBe(90n * MIN);
    expect(parseDuration('PT0.5S')).toBe(500_000n);
  });

  it.each([
    '', 'abc', '10', '1.5', '1h', '1d', '00:60', '00:00:60', '-01:00', '1000:00',
    'P', 'PT', 'P1DT', 'PT-1H', 'P1Y', 'P1M', '1 02', 'PT1H30', '01:00:00.1234567',
  ])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull();
  });

  it('zero parses (the limit is checked by parseSlotList)', () => {
    expect(parseDuration('00:00')).toBe(0n);
    expect(parseDuration('PT0S')).toBe(0n);
  });

  it.each([
    [0n, '00:00:00'],
    [1n, '00:00:00.000001'],
    [10n * MIN, '00:10:00'],
    [DAY - S, '23:59:59'],
    [DAY, '1 00:00:00'],
    [DAY + HOUR + MIN + S, '1 01:01:01'],
    [DAY + 500_000n, '1 00:00:00.500000'],
    [7n * DAY, '7 00:00:00'],
  ])('formatDuration(%s) → %s', (us, expected) => {
    expect(formatDuration(us)).toBe(expected);
  });
});

describe('normalizeSlots', () => {
  it('sorts by begin, then by duration', () => {
    const out = normalizeSlots([
      slot('2022-11-02T10:00:00Z', '01:00'),
      slot('2022-11-01T10:00:00Z', '02:00'),
      slot('2022-11-01T10:00:00Z', '00:30'),
      slot('2022-11-01T09:00:00Z', '03:00'),
    ]);
    expect(json(out)).toEqual([
      { begin: '2022-11-01T09:00:00Z', duration: '03:00:00' },
      { begin: '2022-11-01T10:00:00Z', duration: '00:30:00' },
      { begin: '2022-11-01T10:00:00Z', duration: '02:00:00' },
      { begin: '2022-11-02T10:00:00Z', duration: '01:00:00' },
    ]);
  });

  it('collapses the same instant written with different offsets and duration forms', () => {
    const out = normalizeSlots([
      slot('2022-11-01T01:11:22+02:00', '01:30'),
      slot('2022-10-31T23:11:22Z', 'PT1H30M'),
      slot('2022-10-31T20:41:22-0230', '01:30:00'),
      slot('2022-11-01T00:11:22', '01:30'), // no offset: UTC, another instant
    ]);
    expect(json(out)).toEqual([
      { begin: '2022-10-31T23:11:22Z', duration: '01:30:00' },
      { begin: '2022-11-01T00:11:22Z', duration: '01:30:00' },
    ]);
  });

  it('distinguishes instants one microsecond apart, collapses below that', () => {
    const a = slot('2022-11-01T01:11:22.000001Z', '01:00');
    const b = slot('2022-11-01T01:11:22.000002Z', '01:00');
    expect(normalizeSlots([b, a])).toHaveLength(2);
    expect(json(normalizeSlots([b, a]))[0]!.begin).toBe('2022-11-01T01:11:22.000001Z');
    const c = slot('2022-11-01T01:11:22.0000011Z', '01:00'); // truncated to .000001
    expect(normalizeSlots([a, c])).toHaveLength(1);
  });

  it('does not collapse the same begin with different durations', () => {
    expect(normalizeSlots([slot('2022-11-01T10:00:00Z', '01:00'), slot('2022-11-01T10:00:00Z', '01:00:01')])).toHaveLength(2);
  });

  it('does not modify its input', () => {
    const input = [slot('2022-11-02T10:00:00Z', '01:00'), slot('2022-11-01T10:00:00Z', '01:00')];
    const copy = [...input];
    normalizeSlots(input);
    expect(input).toEqual(copy);
  });
});

describe('parseSlotList', () => {
  it('returns the normalized list', () => {
    const r = parseSlotList([
      { begin: '2022-11-02T10:00:00+01:00', duration: '01:00' },
      { begin: '2022-11-01T10:00:00', duration: 'PT30M' },
      { begin: '2022-11-02T09:00:00Z', duration: '01:00:00' },
    ], 'UTC');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(json(r.slots)).toEqual([
        { begin: '2022-11-01T10:00:00Z', duration: '00:30:00' },
        { begin: '2022-11-02T09:00:00Z', duration: '01:00:00' },
      ]);
    }
  });

  it('reads begins without offset in the given zone', () => {
    const r = parseSlotList([{ begin: '2022-07-01T12:00:00', duration: '01:00' }], 'Europe/Berlin');
    expect(r.ok && json(r.slots)).toEqual([{ begin: '2022-07-01T10:00:00Z', duration: '01:00:00' }]);
  });

  it('accepts an empty list', () => {
    expect(parseSlotList([], 'UTC')).toEqual({ ok: true, slots: [] });
  });

  it('duration: > 0 and ≤ 7 days', () => {
    const one = (d: string) => parseSlotList([{ begin: '2022-11-01T10:00:00Z', duration: d }], 'UTC');
    expect(one('7 00:00:00').ok).toBe(true);
    expect(one('P7D').ok).toBe(true);
    expect(one('P1W').ok).toBe(true);
    expect(one('00:00:00.000001').ok).toBe(true);
    expect(one('00:00')).toEqual({ ok: false, errors: ['Slot 1: duration must be longer than zero.'] });
    expect(one('PT0S')).toEqual({ ok: false, errors: ['Slot 1: duration must be longer than zero.'] });
    expect(one('7 00:00:01')).toEqual({ ok: false, errors: ['Slot 1: duration must be at most 7 days.'] });
    expect(one('P8D')).toEqual({ ok: false, errors: ['Slot 1: duration must be at most 7 days.'] });
    expect(parseDuration('7 00:00:00')).toBe(MAX_DURATION_US);
  });

  const distinct = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ begin: `2022-11-01T${String(i % 24).padStart(2, '0')}:00:00Z`, duration: `${String(1 + Math.floor(i / 24)).padStart(2, '0')}:00` }));

  it('at most 30 slots, counted after collapsing duplicates', () => {
    expect(MAX_SLOTS).toBe(30);
    const thirty = distinct(30);
    const r30 = parseSlotList(thirty, 'UTC');
    expect(r30.ok && r30.slots.length).toBe(30);

    expect(parseSlotList(distinct(31), 'UTC')).toEqual({ ok: false, errors: ['At most 30 slots per event (got 31).'] });

    // 31 entries, but the last is the first written with another offset: 30 slots.
    const withDuplicate = [...thirty, { begin: '2022-11-01T01:00:00+01:00', duration: 'PT1H' }];
    const r = parseSlotList(withDuplicate, 'UTC');
    expect(r.ok && r.slots.length).toBe(30);
  });

  it('reports every bad entry at once, with its position', () => {
    const r = parseSlotList([
      { begin: '2022-11-01T10:00:00Z', duration: '01:00' }, // fine
      { begin: '2022-02-30T10:00:00', duration: '01:00' },
      { begin: '2022-11-01T10:00:00Z', duration: 'soon' },
      {},
      { begin: '2022-11-01T10:00:00Z', duration: '00:00' },
      { begin: '2022-11-01T10:00:00Z', duration: '8 00:00:00' },
      'not an object',
      null,
      [],
      { begin: 5, duration: 6 },
    ], 'UTC');
    expect(r).toEqual({
      ok: false,
      errors: [
        'Slot 2: begin "2022-02-30T10:00:00" is not an ISO 8601 date-time.',
        'Slot 3: duration "soon" is not HH:MM[:SS], D HH:MM:SS or ISO 8601.',
        'Slot 4: begin is required.',
        'Slot 4: duration is required.',
        'Slot 5: duration must be longer than zero.',
        'Slot 6: duration must be at most 7 days.',
        'Slot 7: expected an object with begin and duration.',
        'Slot 8: expected an object with begin and duration.',
        'Slot 9: expected an object with begin and duration.',
        'Slot 10: begin 5 is not an ISO 8601 date-time.',
        'Slot 10: duration 6 is not HH:MM[:SS], D HH:MM:SS or ISO 8601.',
      ],
    });
  });

  it('rejects a non-list', () => {
    for (const input of ['2022-11-01T10:00:00Z', { begin: '2022-11-01T10:00:00Z', duration: '01:00' }, null, undefined, 3]) {
      expect(parseSlotList(input, 'UTC')).toEqual({ ok: false, errors: ['Expected a list of {begin, duration} objects.'] });
    }
  });
});

describe('sameSlotLists', () => {
  const a = slot('2022-11-01T10:00:00Z', '01:00');
  const b = slot('2022-11-02T10:00:00Z', '01:00');

  it('ignores order, duplicates and the offset a begin was written with', () => {
    expect(sameSlotLists([a, b], [b, a])).toBe(true);
    expect(sameSlotLists([a, b, a], [b, a])).toBe(true);
    expect(sameSlotLists([slot('2022-11-01T12:00:00+02:00', 'PT1H'), b], [a, b])).toBe(true);
    expect(sameSlotLists([], [])).toBe(true);
  });

  it('differs on a missing slot, another duration or one microsecond', () => {
    expect(sameSlotLists([a], [a, b])).toBe(false);
    expect(sameSlotLists([a, b], [a])).toBe(false);
    expect(sameSlotLists([a], [])).toBe(false);
    expect(sameSlotLists([a], [slot('2022-11-01T10:00:00Z', '01:01')])).toBe(false);
    expect(sameSlotLists([a], [{ beginUs: a.beginUs + 1n, durationUs: a.durationUs }])).toBe(false);
  });
});
