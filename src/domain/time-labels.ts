// Human time labels shared by the mail and the web page: English, built by hand instead of
// Intl so the output does not depend on the host's locale. In UTC, or in a party's zone with
// UTC beside (SPEC §12): only that zone's offsets come from Intl (zones.ts).
import type { SlotSpan } from './slots.js';
import { isUtcZone, normalizeZone, wallClockAt, zoneDisplayName, zoneShortName } from './zones.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** "Tue 11 Mar 2031" */
export function dayLabel(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "14:00", or "14:00:30" when the seconds are not zero (or `seconds` asks for them). */
export function clockLabel(d: Date, seconds = false): string {
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return seconds || d.getUTCSeconds() ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

/** "Tue 18 Mar 2031, 14:00 UTC"; `seconds` always shows them (log stamps: "14:00:05"). */
export function instantLabel(d: Date, seconds = false): string {
  return `${dayLabel(d)}, ${clockLabel(d, seconds)} UTC`;
}

/**
 * "Tue 11 Mar 2031, 15:00 Europe/Paris": the wall clock of a sender's zone (SPEC §12), for the
 * lines that show a time in that zone beside UTC. The offset is the only part taken from Intl.
 */
export function instantLabelInZone(d: Date, zone: string, seconds = false): string {
  const wall = wallClockAt(zone, d.getTime());
  return `${dayLabel(wall)}, ${clockLabel(wall, seconds)} ${zoneDisplayName(zone)}`;
}

/** "1 h", "30 min", "1 h 30 min", "1 d 2 h", "45 s". */
export function lengthLabel(totalSeconds: number): string {
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}

export interface SlotLabels {
  startLabel: string;
  /** Only the clock when the slot ends on the same day (in its zone), else day and clock. */
  endLabel: string;
  sameDay: boolean;
  /** "1 h 30 min" */
  length: string;
  /** The zone the labels are in, as printed after them: "UTC", "Paris", "UTC+09:00". */
  zone: string;
  /** The begin in UTC, beside a zoned label: "13:00 UTC", or "Tue 11 Mar 2031, 23:00 UTC" on another day; null in UTC. */
  utc: string | null;
  /**
   * The whole slot on one line: "Tue 11 Mar 2031, 14:00–15:30 UTC (1 h 30 min)", or with the
   * end's day spelled out past midnight: "Tue 11 Mar 2031, 23:30 – Wed 12 Mar 2031, 00:30 UTC (1 h)";
   * in a zone: "Tue 11 Mar 2031, 14:00–15:30 Paris (13:00 UTC, 1 h 30 min)".
   */
  text: string;
}

/**
 * Every label of one slot: the mail prints `text`, the page its parts. `zone` (IANA or "+09:00";
 * null, undefined or UTC: plain UTC) shows the clock there, each end by its own offset (DST).
 */
export function slotLabels({ beginMs, durationMs }: SlotSpan, zone?: string | null): SlotLabels {
  const zoned = !!zone && !isUtcZone(zone);
  const shift = (ms: number) => (zoned ? wallClockAt(zone, ms) : new Date(ms));
  const begin = shift(beginMs);
  const end = shift(beginMs + durationMs);
  const beginDay = dayLabel(begin);
  const endDay = dayLabel(end);
  const sameDay = beginDay === endDay;
  const startLabel = `${beginDay}, ${clockLabel(begin)}`;
  const endLabel = sameDay ? clockLabel(end) : `${endDay}, ${clockLabel(end)}`;
  const length = lengthLabel(Math.floor(durationMs / 1000));
  const range = `${startLabel}${sameDay ? '–' : ' – '}${endLabel}`;
  if (!zoned) return { startLabel, endLabel, sameDay, length, zone: 'UTC', utc: null, text: `${range} UTC (${length})` };
  const utcBegin = new Date(beginMs);
  const utc = dayLabel(utcBegin) === beginDay ? `${clockLabel(utcBegin)} UTC` : `${instantLabel(utcBegin)}`;
  const name = zoneShortName(zone);
  return { startLabel, endLabel, sameDay, length, zone: name, utc, text: `${range} ${name} (${utc}, ${length})` };
}

/**
 * "Tue 11 Mar 2031, 15:00–16:00 Europe/Paris (1 h)": a slot with its zone named in full (the
 * draft summary, UTC on its own line); in UTC when the zone is not one we know.
 */
export function zonedSlotLabel(span: SlotSpan, zone: string): string {
  const known = normalizeZone(zone) ?? 'UTC';
  const l = slotLabels(span, known);
  return `${l.startLabel}${l.sameDay ? '–' : ' – '}${l.endLabel} ${zoneDisplayName(known)} (${l.length})`;
}
