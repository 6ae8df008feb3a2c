// One line (or `;`-separated part of a line) of candidate times → the wall times it names.
// chrono-node finds the dates and times (en, de, fr, whichever reads most of the text); what it
// does not do is done here: lengths ("for 45 min") and IANA zones are taken out first, a list
// ("Tue or Wed at 10") shares its time and day, and a part it could not read makes the whole
// part unreadable instead of half-taken.
import * as chrono from 'chrono-node';
import { findLengths, type FoundLength } from './lengths.js';
import { rewriteForChrono } from './rewrite.js';
import { LIST_JOINER, NOT_A_TIME, looksLikeTime } from './words.js';
import { namedZones, offsetZone, wallMs, type ZoneSpec } from './zones.js';

export interface ReadContext {
  reference: Date;
  /** The zone's offset at the reference, minutes: chrono resolves "tomorrow", "Tuesday" there. */
  referenceOffset: number;
}

export interface WrittenDate {
  year: number;
  month: number;
  day: number;
}

export interface WrittenClock {
  hour: number;
  minute: number;
  second: number;
}

/** One time named by the text, still a wall time: turning it into an instant needs the zone. */
export interface WrittenTime {
  date: WrittenDate;
  /** null: a date without a time of day. */
  clock: WrittenClock | null;
  /** The zone written with it (EST, +02:00, Europe/Paris), else null. */
  zone: ZoneSpec | null;
  /** Wall-clock length of a written range ("14:00-15:30"), milliseconds. */
  rangeMs: number | null;
  /** A written length ("for 45 min"), microseconds. */
  lengthUs: bigint | null;
}

export type SegmentReading =
  | { kind: 'prose' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'times'; times: WrittenTime[] };

interface Piece {
  index: number;
  end: number;
  date: WrittenDate | null;
  clock: WrittenClock | null;
  zone: ZoneSpec | null;
  rangeMs: number | null;
  lengthUs: bigint | null;
}

const PARSERS = { en: chrono.en.casual, de: chrono.de.casual, fr: chrono.fr.casual };
// "11.03.2031" is day first wherever it is written; chrono's English reads it month first.
const DOTTED_DATE = /(?<![\d.])\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?!\d)/;
// "11/03" is 11 March or November 3 depending on the writer: never guessed.
const SLASH_DATE = /(?<![\d/])(\d{1,2})\/(\d{1,2})(?![\d])/;

const blank = (text: string, spans: { index: number; length: number }[]): string => {
  let out = text;
  for (const s of spans) out = out.slice(0, s.index) + ' '.repeat(s.length) + out.slice(s.index + s.length);
  return out;
};

function parseBest(text: string, ctx: ReadContext): chrono.ParsedResult[] {
  const order = DOTTED_DATE.test(text) ? (['de', 'fr', 'en'] as const) : (['en', 'de', 'fr'] as const);
  let best: chrono.ParsedResult[] = [];
  let bestScore = 0;
  for (const lang of order) {
    const results = PARSERS[lang]
      .parse(text, { instant: ctx.reference, timezone: ctx.referenceOffset }, { forwardDate: true })
      .filter((r) => !NOT_A_TIME.test(r.text.trim()));
    const score = results.reduce((n, r) => n + r.text.length, 0);
    if (score > bestScore) [best, bestScore] = [results, score];
  }
  return best;
}

function hasDay(c: chrono.ParsedComponents): boolean {
  return c.isCertain('day') || c.isCertain('weekday') || [...c.tags()].some((t) => /relativeDate|casualReference/.test(t));
}

function toPiece(r: chrono.ParsedResult): Piece {
  const s = r.start;
  const date = hasDay(s) ? { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! } : null;
  const clock = s.isCertain('hour') ? { hour: s.get('hour')!, minute: s.get('minute') ?? 0, second: s.get('second') ?? 0 } : null;
  const zone = s.isCertain('timezoneOffset') ? offsetZone(s.get('timezoneOffset')!) : null;
  let rangeMs: number | null = null;
  if (r.end && clock && r.end.isCertain('hour')) {
    const wall = (c: chrono.ParsedComponents) => wallMs({
      year: c.get('year')!, month: c.get('month')!, day: c.get('day')!,
      hour: c.get('hour')!, minute: c.get('minute') ?? 0, second: c.get('second') ?? 0,
    });
    rangeMs = wall(r.end) - wall(s);
    // chrono rolls "23:00-01:00" into the next day, but not after a weekday ("Friday 23:00-01:00").
    if (rangeMs <= 0 && !r.end.isCertain('day')) rangeMs += 86_400_000;
  }
  return { index: r.index, end: r.index + r.text.length, date, clock, zone, rangeMs, lengthUs: null };
}

/** A single length applies to every time of the part; several, each to the time before it. */
function assignLengths(pieces: Piece[], lengths: FoundLength[]): void {
  if (lengths.length === 1) {
    for (const p of pieces) p.lengthUs = lengths[0]!.us;
    return;
  }
  for (const l of lengths) {
    const before = pieces.filter((p) => p.index < l.index).at(-1) ?? pieces[0];
    if (before) before.lengthUs = l.us;
  }
}

/** Items of one list ("Tue, Wed or Thu at 10") share what only one of them says. */
function shareWithinLists(pieces: Piece[], text: string): void {
  const groups: Piece[][] = [];
  pieces.forEach((p, i) => {
    const joined = i > 0 && LIST_JOINER.test(text.slice(pieces[i - 1]!.end, p.index));
    if (joined) groups.at(-1)!.push(p);
    else groups.push([p]);
  });
  for (const group of groups) {
    group.forEach((p, i) => {
      const after = group.slice(i + 1), before = group.slice(0, i).reverse();
      if (!p.clock) {
        const from = after.find((q) => q.clock) ?? before.find((q) => q.clock);
        if (from) Object.assign(p, { clock: from.clock, rangeMs: from.rangeMs, zone: p.zone ?? from.zone, lengthUs: p.lengthUs ?? from.lengthUs });
      }
      if (!p.date) {
        const from = before.find((q) => q.date) ?? after.find((q) => q.date);
        if (from) p.date = from.date;
      }
    });
  }
}

const wordCount = (text: string): number => text.split(/[\s,.:!?()]+/).filter((w) => /\p{L}/u.test(w)).length;

/**
 * Reads one part. `dateOnly` allows a date without a time of day (a deadline means its end);
 * otherwise such a part is unreadable, or prose when it only mentions a day in a sentence.
 */
export function readSegment(written: string, ctx: ReadContext, dateOnly = false): SegmentReading {
  const segment = rewriteForChrono(written, ctx.reference, ctx.referenceOffset);
  const lengths = findLengths(segment);
  const zones = namedZones(segment);
  const text = blank(segment, [...lengths, ...zones]);
  const results = parseBest(text, ctx);
  const leftover = blank(text, results.map((r) => ({ index: r.index, length: r.text.length })));
  if (results.length === 0) {
    return looksLikeTime(leftover) ? { kind: 'unreadable', reason: 'not a time I can read' } : { kind: 'prose' };
  }
  if (looksLikeTime(leftover)) return { kind: 'unreadable', reason: 'only part of it reads as a time' };
  const slash = results.map((r) => SLASH_DATE.exec(r.text)).find((m) => m && m[1] !== m[2] && Number(m[1]) <= 12 && Number(m[2]) <= 12);
  if (slash) return { kind: 'unreadable', reason: `"${slash[0]}" could be day/month or month/day` };

  const pieces = results.map(toPiece);
  assignLengths(pieces, lengths);
  shareWithinLists(pieces, text);
  if (!dateOnly && pieces.every((p) => !p.clock)) {
    // "Here are some options for next week:" introduces the list; a long sentence that merely
    // mentions a day is prose. A short line ("sometime next week") was meant as a time.
    if (/:\s*$/.test(segment) || wordCount(leftover) > 6) return { kind: 'prose' };
  }
  if (zones.length > 1) return { kind: 'unreadable', reason: 'more than one zone' };
  const zone = zones[0]?.zone ?? null;
  const times: WrittenTime[] = [];
  for (const p of pieces) {
    if (!p.date) return { kind: 'unreadable', reason: 'no day' };
    if (!p.clock && !dateOnly) return { kind: 'unreadable', reason: 'no time of day' };
    times.push({ date: p.date, clock: p.clock, zone: p.zone ?? zone, rangeMs: p.rangeMs, lengthUs: p.lengthUs });
  }
  return { kind: 'times', times };
}
