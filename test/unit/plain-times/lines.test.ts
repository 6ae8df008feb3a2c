// SPEC §10/§11: which lines are times, which are prose, which are reported, refused or deadlines.
import { describe, expect, it } from 'vitest';
import { read, slots } from './read.js';

describe('lines that are no times', () => {
  it('skips greetings, thanks and signatures silently', () => {
    const r = read('Hi all,\nHere are some options for next week:\nTue 11 Mar 14:00\nThanks!\nBest, Alice\n+49 30 1234567');
    expect(r.unreadable).toEqual([]);
    expect(r.refused).toEqual([]);
    expect(r.slots).toHaveLength(1);
  });

  it('does not take "now" in a sentence for a time', () => {
    expect(read('Now that we are all back, let us meet.').slots).toEqual([]);
  });

  it('keeps a candidate whose line names someone after "by"', () => {
    expect(slots('Tue 11 Mar 10am, hosted by Bob')).toEqual(['2031-03-11T09:00:00Z 01:00:00']);
  });
});

describe('lines that look like times but cannot be read', () => {
  it.each([
    'Tuesday at 25:00',
    'the 31st of February 10am',
    'sometime next week',
    'Tuesday',
    '15:00',
    'at noon',
    'from 2 to 3pm',
    '12/03 10:00',
    'Dienstag um 26 Uhr',
    'mardi à 25h',
    'Tue 10am or Wed at 25:00',
  ])('%s', (line) => {
    const r = read(`Hi,\n${line}\nTue 11 Mar 14:00`);
    expect(r.unreadable).toEqual([line]);
    expect(r.slots).toHaveLength(1);
  });

  it('reports each unreadable part of a ;-separated line on its own', () => {
    const r = read('Tue 10am; Tuesday at 25:00; Wed 2pm');
    expect(r.unreadable).toEqual(['Tuesday at 25:00']);
    expect(r.slots).toHaveLength(2);
  });

  it('reads an unambiguous slash date', () => {
    expect(slots('13/03/2031 10:00')).toEqual(['2031-03-13T09:00:00Z 01:00:00']);
  });
});

describe('refused times', () => {
  it('refuses times before now, with the reason', () => {
    const now = new Date('2031-03-12T00:00:00Z');
    const r = read('Tue 11 Mar 14:00\nThu 13 Mar 14:00', 'Europe/Berlin', undefined, now);
    expect(r.refused).toEqual([{ line: 'Tue 11 Mar 14:00', reason: 'this time is in the past' }]);
    expect(r.slots).toHaveLength(1);
  });

  it('refuses a time longer than 7 days', () => {
    const r = read('Tue 11 Mar 14:00 for 200 hours');
    expect(r.refused).toEqual([{ line: 'Tue 11 Mar 14:00 for 200 hours', reason: 'a time may last at most 7 days' }]);
  });

  it('keeps at most 30 times, refusing the later ones', () => {
    const lines = Array.from({ length: 32 }, (_, i) => `2031-04-${String(i % 28 + 1).padStart(2, '0')} ${i < 28 ? '10:00' : '15:00'}`);
    const r = read(lines.join('\n'));
    expect(r.slots).toHaveLength(30);
    expect(r.refused.map((x) => x.reason)).toEqual(['at most 30 times per event', 'at most 30 times per event']);
  });
});

describe('deadlines', () => {
  it.each([
    ['by Friday 5pm', '2031-03-14T16:00:00Z'],
    ['Deadline: 13 March 12:00', '2031-03-13T11:00:00Z'],
    ['Please respond by Thursday noon', '2031-03-13T11:00:00Z'],
    // A day without a time means the end of that day.
    ['respond by Friday', '2031-03-14T22:59:00Z'],
  ])('%s', (line, at) => {
    const r = read(`Tue 11 Mar 14:00\n${line}`);
    expect(r.respondBy).toEqual(new Date(at));
    expect(r.slots).toHaveLength(1);
  });

  it('refuses a deadline in the past and reports one it cannot read', () => {
    expect(read('deadline: 1 March 2025 12:00').refused).toEqual([{ line: 'deadline: 1 March 2025 12:00', reason: 'the deadline is in the past' }]);
    expect(read('deadline: Tuesday at 25:00').unreadable).toEqual(['deadline: Tuesday at 25:00']);
  });
});

describe('bounded work on hostile text', () => {
  it('reports an overlong time-like line without parsing it, and skips overlong prose', () => {
    const r = read(`${'Tuesday 10:00 '.repeat(5_000)}\n${'word '.repeat(20_000)}\nTue 11 Mar 14:00`);
    expect(r.unreadable).toHaveLength(1);
    expect(r.unreadable[0]!.length).toBeLessThanOrEqual(300);
    expect(r.slots).toHaveLength(1);
  });

  it('reads the first 200 lines and says the rest were not read', () => {
    const lines = Array.from({ length: 250 }, (_, i) => (i === 240 ? 'Tue 11 Mar 14:00' : `Line ${i}: nothing to see`));
    const r = read(lines.join('\n'));
    expect(r.slots).toEqual([]);
    expect(r.refused).toEqual([{ line: 'Line 200: nothing to see', reason: 'only the first 200 lines are read' }]);
  });
});

describe('numbers that are no times', () => {
  it.each(['Budget: 1.5M', 'Agenda: Q3 planning, 2 hours max', 'Meeting ID: 123 456 7890', 'Call me at 555-123-4567', 'Zoom: https://zoom.us/j/123456789?pwd=abc'])('%s', (line) => {
    const r = read(line);
    expect(r).toEqual({ slots: [], unreadable: [], respondBy: null, refused: [] });
  });
});

describe('a weekday that contradicts its date', () => {
  it.each(['Wed 11 Mar 2031 14:00', 'Mittwoch, 11. März 14 Uhr', 'mercredi 11 mars à 14h'])('%s is reported, not guessed', (line) => {
    // 11 March 2031 is a Tuesday.
    expect(read(line).unreadable).toEqual([line]);
  });
});

describe('"by" that starts a sentence', () => {
  it('reads "By the way, …" as a time, not a deadline', () => {
    const r = read('By the way, Tue 11 Mar 10am works for me too');
    expect(r.respondBy).toBeNull();
    expect(slots('By the way, Tue 11 Mar 10am works for me too')).toEqual(['2031-03-11T09:00:00Z 01:00:00']);
  });
});

describe('never throws for what a sender writes', () => {
  // A fixed pseudo-random stream of words from every class the reader knows.
  const WORDS = ['Tue', 'Mittwoch', 'mardi', 'March', '11', '31st', '25:00', '14:00', '-', '–', 'to', 'bis', 'à', 'h', 'Uhr', 'pm', 'for', '45', 'min',
    'by', 'deadline:', 'EST', '+02:00', 'Europe/Paris', 'or', ',', ';', '12/03', '13.03.', 'next', 'tomorrow', 'noon', '0', '99999', 'é', '\u0000', '（', 'Pacific Time'];
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  it('reads 300 random lines', () => {
    const lines = Array.from({ length: 300 }, () => Array.from({ length: 1 + (next() % 9) }, () => WORDS[next() % WORDS.length]).join(' '));
    for (const line of lines) {
      const r = read(line);
      for (const s of r.slots) expect(s.durationUs > 0n && s.beginUs > 0n).toBe(true);
    }
  });
});
