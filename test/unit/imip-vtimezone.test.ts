// A sender's VTIMEZONE read with bounded work (imip.ts, vtimezone.ts): RRULEs that send ical.js's
// Timezone into an endless expansion (FREQ=SECONDLY with no occurrence) or out of memory
// (FREQ=SECONDLY from 1601) give null at once; real zones (Outlook's Windows zones, a TZID that
// is an IANA name) give the instants they did; a calendar part over 64 KB is not read.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MAX_ICS_CHARS, parseImipCounter, type ImipCounter } from '../../src/mail/inbound/imip.js';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
const observance = (kind: 'STANDARD' | 'DAYLIGHT', start: string, from: string, to: string, rrule?: string) =>
  [`BEGIN:${kind}`, `DTSTART:${start}`, `TZOFFSETFROM:${from}`, `TZOFFSETTO:${to}`, ...(rrule ? [`RRULE:${rrule}`] : []), `END:${kind}`];
const counter = (tzid: string, observances: string[], start: string, end: string) => crlf([
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:COUNTER', 'BEGIN:VTIMEZONE', `TZID:${tzid}`, ...observances, 'END:VTIMEZONE',
  'BEGIN:VEVENT', 'UID:calndro-1@calndro.test', 'DTSTAMP:20310305T101500Z',
  `DTSTART;TZID=${tzid}:${start}`, `DTEND;TZID=${tzid}:${end}`, 'END:VEVENT', 'END:VCALENDAR']);

/** The reviewer's reproductions: no occurrence ever (the read looped), and every second since 1601 (out of memory). */
const POISON = {
  'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31': counter('Evil', observance('STANDARD', '20300101T000000', '+0000', '+0000', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31'), '20310312T100000', '20310312T110000'),
  'FREQ=SECONDLY from 1601': counter('Evil', observance('STANDARD', '16010101T000000', '+0000', '+0000', 'FREQ=SECONDLY'), '20310312T100000', '20310312T110000'),
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31 and FREQ=MINUTELY': counter('Evil', [
    ...observance('STANDARD', '16010101T000000', '+0000', '+0100', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31'),
    ...observance('DAYLIGHT', '16010101T000000', '+0100', '+0200', 'FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30')], '20310312T100000', '20310312T110000'),
};

/** parseImipCounter on a thread of its own, stopped after `ms`: a read without end fails the test instead of freezing it. */
function readOnThread(ics: string, ms = 10_000): Promise<{ counter: ImipCounter | null; elapsedMs: number }> {
  const started = performance.now();
  const worker = new Worker(new URL('../../src/threads/thread-dev.mjs', import.meta.url), {
    argv: [new URL('../fixtures/threads/imip-probe.ts', import.meta.url).href], workerData: ics,
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`still reading after ${ms} ms`));
    }, ms);
    worker.once('message', (m: { counter: ImipCounter | null }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ counter: m.counter, elapsedMs: performance.now() - started });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe('a hostile VTIMEZONE', () => {
  it.each(Object.entries(POISON))('%s: read at once, as no COUNTER', async (_name, ics) => {
    const { counter: read, elapsedMs } = await readOnThread(ics);
    expect(read).toBeNull();
    // Most of it is the thread starting and loading its modules.
    expect(elapsedMs).toBeLessThan(8_000);
  }, 15_000);

  it('a TZID that is an IANA name is read by the zone database, whatever rules the VTIMEZONE of that name holds', async () => {
    const ics = counter('Europe/Berlin', observance('STANDARD', '16010101T000000', '+0000', '+0000', 'FREQ=SECONDLY'), '20310701T120000', '20310701T130000');
    const { counter: read } = await readOnThread(ics);
    expect(read).toMatchObject({ startMs: Date.parse('2031-07-01T10:00:00Z'), endMs: Date.parse('2031-07-01T11:00:00Z') });
  }, 15_000);
});

describe('real zones, read by their rules', () => {
  // Outlook's (Exchange's) definition of Central European time.
  const windows = [
    ...observance('STANDARD', '16010101T030000', '+0200', '+0100', 'FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10'),
    ...observance('DAYLIGHT', '16010101T020000', '+0100', '+0200', 'FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3'),
  ];
  // US Eastern as tzdata-derived calendars write it (second Sunday of March, first of November).
  const eastern = [
    ...observance('STANDARD', '20071104T020000', '-0400', '-0500', 'FREQ=YEARLY;BYMONTH=11;BYDAY=1SU'),
    ...observance('DAYLIGHT', '20070311T020000', '-0500', '-0400', 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU'),
  ];
  it.each([
    ['W. Europe Standard Time', '20310314T160000', '2031-03-14T15:00:00Z', windows],
    ['W. Europe Standard Time', '20310330T013000', '2031-03-30T00:30:00Z', windows],
    ['W. Europe Standard Time', '20310330T033000', '2031-03-30T01:30:00Z', windows],
    ['W. Europe Standard Time', '20311026T015900', '2031-10-25T23:59:00Z', windows],
    ['W. Europe Standard Time', '20311026T030000', '2031-10-26T02:00:00Z', windows],
    ['W. Europe Standard Time', '20310101T090000', '2031-01-01T08:00:00Z', windows],
    ['Eastern Standard Time', '20310308T120000', '2031-03-08T17:00:00Z', eastern],
    ['Eastern Standard Time', '20310309T030000', '2031-03-09T07:00:00Z', eastern],
    ['Eastern Standard Time', '20311101T120000', '2031-11-01T16:00:00Z', eastern],
    ['Eastern Standard Time', '20311102T030000', '2031-11-02T08:00:00Z', eastern],
    // A fixed offset, no rule; a month day rule; a weekday among month days (the old US rule).
    ['India Standard Time', '20310314T160000', '2031-03-14T10:30:00Z', observance('STANDARD', '16010101T000000', '+0530', '+0530')],
    ['Fixed day', '20310701T120000', '2031-07-01T07:30:00Z', [...observance('STANDARD', '20000921T000000', '+0430', '+0330', 'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=21'),
      ...observance('DAYLIGHT', '20000321T000000', '+0330', '+0430', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=21')]],
    ['Old US', '20310406T120000', '2031-04-06T16:00:00Z', [...observance('STANDARD', '19671029T020000', '-0400', '-0500', 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU'),
      ...observance('DAYLIGHT', '19870405T020000', '-0500', '-0400', 'FREQ=YEARLY;BYMONTH=4;BYDAY=SU;BYMONTHDAY=1,2,3,4,5,6,7')]],
  ])('%s at %s → %s', (tzid, start, utc, observances) => {
    const end = `${start.slice(0, 9)}235900`;
    expect(parseImipCounter(counter(tzid, observances, start, end))?.startMs).toBe(Date.parse(utc));
  });

  it('a rule of a shape not read (FREQ=MONTHLY, BYSETPOS) makes the part no COUNTER, not a guessed time', () => {
    for (const rule of ['FREQ=MONTHLY;BYMONTHDAY=1', 'FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYSETPOS=-1', 'FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU']) {
      expect(parseImipCounter(counter('Odd', observance('DAYLIGHT', '20000101T000000', '+0100', '+0200', rule), '20310314T160000', '20310314T170000'))).toBeNull();
    }
  });

  it('a calendar text over 64 KB is not read', () => {
    const ics = counter('W. Europe Standard Time', windows, '20310314T160000', '20310314T170000');
    expect(parseImipCounter(ics)).not.toBeNull();
    const long = ics.replace('BEGIN:VEVENT', `X-PAD:${'x'.repeat(MAX_ICS_CHARS)}\r\nBEGIN:VEVENT`);
    expect(parseImipCounter(long)).toBeNull();
  });
});
