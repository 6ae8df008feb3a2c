// One line (or `;`-separated part of a line) of candidate times → the wall times it names.
// chrono-node finds the dates and times (en, de, fr, whichever reads most of the text); what it
// does not do is done here: lengths ("for 45 min") and IANA zones are taken out first, a list
// ("Tue or Wed at 10") shares its time and day, and a part it could not read makes the whole
// part unreadable instead of half-taken.
import * as chrono from 'chrono-node';
import { findLengths, type FoundLength } from './lengths.js';
import { rewriteForChrono } from './rewrite.js';
import { LIST_JOINER, NOT_A_TIME, looksLikeTime, mayHoldTime } from './words.js';
import { offsetZone, type ZoneSpec } from '../zones.js';
import { namedZones, wallFromMs, wallMs } from './zones.js';

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
  | { kind: 'times'; times: WrittenTime[]; /** Words around the times ("works for me"). */ otherWords: number };

interface Piece {
  index: number;
  end: number;
  date: WrittenDate | null;
  clock: WrittenClock | null;
  zone: ZoneSpec | null;
  rangeMs: number | null;
  lengthUs: bigint | null;
  /** The day was named by its weekday only ("Thursday"), not by a date. */
  weekdayOnly: boolean;
  /** A weekday and a date that do not agree ("Wed 11 Mar 2031", a Tuesday): which was meant is not guessed. */
  mismatch: boolean;
}

export const MAX_SEGMENT = 300;
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

const readsAll = (text: string, results: chrono.ParsedResult[]): boolean =>
  blank(text, results.map((r) => ({ index: r.index, length: r.text.length }))).replace(/[\s,.;:!?()\-–]+/g, '') === '';

function parseWith(lang: keyof typeof PARSERS, text: string, ctx: ReadContext): chrono.ParsedResult[] {
  return PARSERS[lang]
    .parse(text, { instant: ctx.reference, timezone: ctx.referenceOffset }, { forwardDate: true })
    // "1.5M" and "in 2 hours" count from the mail's Date: no meeting time anyone proposes.
    .filter((r) => !NOT_A_TIME.test(r.text.trim()) && !r.start.tags().has('result/relativeDateAndTime'));
}

/** The reading of the language that reads most of the text (the first that reads all of it). */
function parseBest(text: string, ctx: ReadContext): chrono.ParsedResult[] {
  const order = DOTTED_DATE.test(text) ? (['de', 'fr', 'en'] as const) : (['en', 'de', 'fr'] as const);
  let best: chrono.ParsedResult[] = [];
  let bestScore = 0;
  for (const lang of order) {
    const results = parseWith(lang, text, ctx);
    if (readsAll(text, results)) return results;
    const score = results.reduce((n, r) => n + r.text.length, 0);
    if (score > bestScore) [best, bestScore] = [results, score];
  }
  return best;
}

function hasDay(c: chrono.ParsedComponents): boolean {
  // Not the casual references of a part of day ("noon", "this evening"): they name no day for sure.
  return c.isCertain('day') || c.isCertain('weekday') || c.tags().has('result/relativeDate');
}

const DAY_MS = 86_400_000;
const weekdayOf = (d: WrittenDate) => new Date(wallMs({ ...d, hour: 0, minute: 0, second: 0 })).getUTCDay();
const clockMs = (c: chrono.ParsedComponents) => ((c.get('hour')! * 60 + (c.get('minute') ?? 0)) * 60 + (c.get('second') ?? 0)) * 1000;

/**
 * A weekday alone is the first such day after the reference's day in the sender's zone. chrono
 * (forwardDate) gives the reference's own day when the time is still to come ("Monday 9:30" on
 * a Monday morning) and, with a range ending "noon", even the week before: both moved on.
 */
function weekdayDate(s: chrono.ParsedComponents, date: WrittenDate, ctx: ReadContext): WrittenDate {
  if (!s.isCertain('weekday') || s.isCertain('day')) return date;
  const today = wallFromMs(ctx.reference.getTime() + ctx.referenceOffset * 60_000);
  const todayMs = wallMs({ ...today, hour: 0, minute: 0, second: 0 });
  if (wallMs({ ...date, hour: 0, minute: 0, second: 0 }) > todayMs) return date;
  const ahead = ((s.get('weekday')! - new Date(todayMs).getUTCDay() + 6) % 7) + 1;
  const next = wallFromMs(todayMs + ahead * DAY_MS);
  return { year: next.year, month: next.month, day: next.day };
}

/**
 * The end hour as written in 24-hour notation, when chrono moved it 12 hours on; else null.
 * Without am/pm, "1h" or "1 Uhr" after "23h" is 01:00 the next day, not 13:00.
 */
function writtenEndHour(r: chrono.ParsedResult): number | null {
  if (/\d\s*(?:[ap]\.?m\.?)(?![\p{L}])/iu.test(r.text)) return null;
  const m = /(\d{1,2})(?:\s*[:h.]\s*\d{2})?\s*(?:h|uhr|heures?)?\s*$/iu.exec(r.text);
  if (!m || !r.end) return null;
  const written = Number(m[1]);
  return written < 12 && r.end.get('hour') === written + 12 ? written : null;
}

function toPiece(r: chrono.ParsedResult, ctx: ReadContext): Piece {
  const s = r.start;
  const date = hasDay(s) ? weekdayDate(s, { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! }, ctx) : null;
  const clock = s.isCertain('hour') ? { hour: s.get('hour')!, minute: s.get('minute') ?? 0, second: s.get('second') ?? 0 } : null;
  const zone = s.isCertain('timezoneOffset') ? offsetZone(s.get('timezoneOffset')!) : null;
  let rangeMs: number | null = null;
  if (r.end && clock && r.end.isCertain('hour')) {
    const sameDay = ['year', 'month', 'day'].every((k) => r.end!.get(k as chrono.Component) === s.get(k as chrono.Component));
    const endHour = writtenEndHour(r);
    if (endHour !== null) {
      // "de 23h à 1h", "von 23 bis 1 Uhr": chrono makes the end 13:00 the next day.
      rangeMs = ((endHour * 60 + (r.end.get('minute') ?? 0)) * 60 + (r.end.get('second') ?? 0)) * 1000 - clockMs(s);
      if (rangeMs <= 0) rangeMs += DAY_MS;
    } else if (r.end.isCertain('day') && !sameDay) {
      // "from Mon 28 Apr 09:00 to Tue 29 Apr 17:00": both ends written in full.
      const wall = (c: chrono.ParsedComponents) => wallMs({
        year: c.get('year')!, month: c.get('month')!, day: c.get('day')!,
        hour: c.get('hour')!, minute: c.get('minute') ?? 0, second: c.get('second') ?? 0,
      });
      rangeMs = wall(r.end) - wall(s);
    } else {
      // Only the end's clock is written: it is the first such clock after the begin. chrono's
      // own end date is not used (it is wrong after a weekday, "Friday 23:00-01:00", and
      // "Wed 12 Mar 22:00 - 00:30" ends on the 12th).
      rangeMs = clockMs(r.end) - clockMs(s);
      if (rangeMs <= 0) rangeMs += DAY_MS;
    }
  }
  const weekdayOnly = s.isCertain('weekday') && !s.isCertain('day');
  const mismatch = s.isCertain('weekday') && s.isCertain('day') && date !== null && weekdayOf(date) !== s.get('weekday');
  return { index: r.index, end: r.index + r.text.length, date, clock, zone, rangeMs, lengthUs: null, weekdayOnly, mismatch };
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

const sameDayAs = (dated: Piece, weekday: Piece) =>
  !dated.weekdayOnly && dated.date !== null && weekday.date !== null && weekdayOf(dated.date) === weekdayOf(weekday.date);

/** Gives `into` what `from` says about the clock; false when both name a clock (two times). */
function absorb(into: Piece, from: Piece): boolean {
  if (into.clock && from.clock) return false;
  if (!into.clock) Object.assign(into, { clock: from.clock, rangeMs: from.rangeMs, zone: into.zone ?? from.zone, lengthUs: into.lengthUs ?? from.lengthUs });
  return true;
}

/** A single written zone is that of every time without one; several, each of the time before it. */
function assignZones(pieces: Piece[], zones: { zone: ZoneSpec; index: number }[]): void {
  for (const z of zones) {
    const owners = zones.length === 1 ? pieces : [pieces.filter((p) => p.index < z.index).at(-1) ?? pieces[0]!];
    for (const p of owners) p.zone ??= z.zone;
  }
}

/** Items of one list ("Tue, Wed or Thu at 10") share what only one of them says. */
function shareWithinLists(pieces: Piece[], text: string): Piece[] {
  const groups: Piece[][] = [];
  pieces.forEach((p, i) => {
    const joined = i > 0 && LIST_JOINER.test(text.slice(pieces[i - 1]!.end, p.index));
    if (joined) groups.at(-1)!.push(p);
    else groups.push([p]);
  });
  for (const [g, all] of groups.entries()) {
    // "20 March, Thursday, 10am": a weekday beside the date it falls on is that date, not a second day.
    const group = all.filter((p) => !(p.weekdayOnly && all.some((q) => q !== p && sameDayAs(q, p) && absorb(q, p))));
    groups[g] = group;
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
  return groups.flat();
}

const wordCount = (text: string): number => text.split(/[\s,.:!?()]+/).filter((w) => /\p{L}/u.test(w)).length;

/**
 * Reads one part. `dateOnly` allows a date without a time of day (a deadline means its end);
 * otherwise such a part is unreadable, or prose when it only mentions a day in a sentence.
 */
export function readSegment(written: string, ctx: ReadContext, dateOnly = false): SegmentReading {
  if (!mayHoldTime(written)) return { kind: 'prose' };
  // A line of times is short; a longer one is a sentence or an attack on the parser's regexes.
  if (written.length > MAX_SEGMENT) return looksLikeTime(written.slice(0, MAX_SEGMENT)) ? { kind: 'unreadable', reason: 'too long' } : { kind: 'prose' };
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

  const pieces = results.map((r) => toPiece(r, ctx));
  assignLengths(pieces, lengths);
  assignZones(pieces, zones);
  const kept = shareWithinLists(pieces, text);
  if (!dateOnly && kept.every((p) => !p.clock)) {
    // "Here are some options for next week:" introduces the list; a long sentence that merely
    // mentions a day is prose. A short line ("sometime next week") was meant as a time.
    if (/:\s*$/.test(segment) || wordCount(leftover) > 6) return { kind: 'prose' };
  }
  const times: WrittenTime[] = [];
  for (const p of kept) {
    if (p.mismatch) return { kind: 'unreadable', reason: 'the weekday does not fall on that date' };
    if (!p.date) return { kind: 'unreadable', reason: 'no day' };
    if (!p.clock && !dateOnly) return { kind: 'unreadable', reason: 'no time of day' };
    times.push({ date: p.date, clock: p.clock, zone: p.zone, rangeMs: p.rangeMs, lengthUs: p.lengthUs });
  }
  return { kind: 'times', times, otherWords: wordCount(leftover) };
}
