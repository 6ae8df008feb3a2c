// Candidate times written in plain words (SPEC §10): the body of an organizer's mail → slots.
// Pure: text and options in, slots and what could not be used out. Lines that are no time
// (greetings, thanks, signatures) are skipped; a line that looks like a time but cannot be read
// is reported, never guessed; times in the past are refused with the reason.
import { deadlineText } from './plain-times/deadline.js';
import { MAX_SEGMENT, readSegment, type ReadContext, type WrittenTime } from './plain-times/read-segment.js';
import { wallFromMs, wallMs, wallToUs } from './plain-times/zones.js';
import { MAX_DURATION_US, MAX_SLOTS, normalizeSlots, slotKey, type Slot } from './slots.js';
import { normalizeZone, zoneOffsetMs, type ZoneSpec } from './zones.js';

export { zoneOfDateHeader } from './plain-times/zones.js';
export { normalizeZone, type ZoneSpec } from './zones.js';

export interface PlainTimesOptions {
  /** The instant relative words are read from ("tomorrow", "Tuesday"): the mail's Date. */
  reference: Date;
  /** The zone of a time written without one. */
  zone: ZoneSpec;
  /** Length of a time written without a range or "for N". */
  defaultMinutes: number;
  /** Times before this are refused. */
  now: Date;
}

export interface PlainTimes {
  /** Normalized (sorted, duplicates collapsed), at most MAX_SLOTS. */
  slots: Slot[];
  /** Lines (or `;` parts) that look like a time but could not be read, as written. */
  unreadable: string[];
  /** From a "by …" / "deadline: …" line; the last one wins. */
  respondBy: Date | null;
  refused: { line: string; reason: string }[];
}

const US_PER_MS = 1000n;
/** Parts read at most: the reading costs a few milliseconds each; a real list is far shorter. */
export const MAX_PARTS = 200;
const MAX_DEADLINE_WORDS = 3;
const MONTH_WORDS = /^(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|janv|févr|avr|juil|déc|juin|août)/iu;

/** "- Tue 10am", "* …", "• …", "1) …", "2. Tue" → the time; "12. März" keeps its day. */
function withoutBullet(line: string): string {
  const m = /^(?:[-*•·–—>]+|\(?\d{1,2}\)|\d{1,2}\.)\s+/u.exec(line);
  if (!m) return line;
  const rest = line.slice(m[0].length);
  if (/^\d{1,2}\.$/.test(m[0].trim()) && MONTH_WORDS.test(rest)) return line;
  return rest;
}

function instantOf(t: WrittenTime, zone: ZoneSpec, endOfDay: boolean): bigint | null {
  const clock = t.clock ?? (endOfDay ? { hour: 23, minute: 59, second: 0 } : null);
  return clock ? wallToUs({ ...t.date, ...clock }, t.zone ?? zone) : null;
}

/** The slot of one written time, or why it is none. */
function toSlot(t: WrittenTime, opts: PlainTimesOptions): Slot | { unreadable: string } | { refused: string } {
  const zone = t.zone ?? opts.zone;
  const beginUs = instantOf(t, zone, false);
  if (beginUs === null) return { unreadable: 'no such date' };
  let durationUs: bigint;
  if (t.rangeMs !== null) {
    // The end is a wall time too: a range across a DST change lasts what the clocks say.
    const endUs = wallToUs(wallFromMs(wallMs({ ...t.date, ...t.clock! }) + t.rangeMs), zone);
    if (endUs === null || endUs <= beginUs) return { unreadable: 'ends before it begins' };
    durationUs = endUs - beginUs;
  } else {
    durationUs = t.lengthUs ?? BigInt(opts.defaultMinutes) * 60_000_000n;
  }
  if (durationUs <= 0n) return { unreadable: 'no length' };
  if (durationUs > MAX_DURATION_US) return { refused: 'a time may last at most 7 days' };
  if (beginUs < BigInt(opts.now.getTime()) * US_PER_MS) return { refused: 'this time is in the past' };
  return { beginUs, durationUs };
}

export function readPlainTimes(text: string, opts: PlainTimesOptions): PlainTimes {
  const zone = normalizeZone(opts.zone);
  if (!zone) throw new RangeError(`not a time zone: ${opts.zone}`);
  const o = { ...opts, zone };
  // chrono takes the offset in whole minutes.
  const referenceOffset = Math.round(zoneOffsetMs(zone, opts.reference.getTime()) / 60_000);
  const ctx: ReadContext = { reference: opts.reference, referenceOffset };
  const result: PlainTimes = { slots: [], unreadable: [], respondBy: null, refused: [] };
  const found: { slot: Slot; line: string }[] = [];
  let parts = 0;

  for (const rawLine of text.split(/\r?\n/)) {
    for (const part of withoutBullet(rawLine.trim()).split(';')) {
      const line = part.trim();
      if (!line) continue;
      if (++parts > MAX_PARTS) {
        if (parts === MAX_PARTS + 1) result.refused.push({ line: line.slice(0, MAX_SEGMENT), reason: `only the first ${MAX_PARTS} lines are read` });
        continue;
      }
      try {
        readPart(line, ctx, o, result, found);
      } catch {
        // Nothing a sender writes may stop the reading of the rest (SPEC: never a crash).
        result.unreadable.push(line.slice(0, MAX_SEGMENT));
      }
    }
  }
  cap(found, result);
  return result;
}

/** Reads one line or `;` part into `result` (deadline, unreadable, refused) or `found` (slots). */
function readPart(line: string, ctx: ReadContext, opts: PlainTimesOptions, result: PlainTimes, found: { slot: Slot; line: string }[]): void {
  let deadline = deadlineText(line);
  let reading = readSegment(deadline ?? line, ctx, deadline !== null);
  // "By the way, Tuesday 10am works": a deadline line says little besides its time.
  if (deadline !== null && reading.kind === 'times' && reading.otherWords > MAX_DEADLINE_WORDS) {
    deadline = null;
    reading = readSegment(line, ctx);
  }
  if (reading.kind === 'prose') return;
  if (reading.kind === 'unreadable') {
    result.unreadable.push(line.slice(0, MAX_SEGMENT));
    return;
  }
  if (deadline !== null) {
    const at = reading.times.length === 1 ? instantOf(reading.times[0]!, opts.zone, true) : null;
    if (at === null) result.unreadable.push(line);
    else if (at < BigInt(opts.now.getTime()) * US_PER_MS) result.refused.push({ line, reason: 'the deadline is in the past' });
    else result.respondBy = new Date(Number(at / US_PER_MS));
    return;
  }
  const slots = reading.times.map((t) => toSlot(t, opts));
  if (slots.some((s) => 'unreadable' in s)) {
    result.unreadable.push(line);
    return;
  }
  for (const s of slots) {
    if ('refused' in s) result.refused.push({ line, reason: s.refused });
    else if ('beginUs' in s) found.push({ slot: s, line });
  }
}

/** Normalizes the slots found and refuses those beyond MAX_SLOTS. */
function cap(found: { slot: Slot; line: string }[], result: PlainTimes): void {
  const all = normalizeSlots(found.map((f) => f.slot));
  result.slots = all.slice(0, MAX_SLOTS);
  for (const extra of all.slice(MAX_SLOTS)) {
    const line = found.find((f) => slotKey(f.slot) === slotKey(extra))!.line;
    result.refused.push({ line, reason: `at most ${MAX_SLOTS} times per event` });
  }
}
