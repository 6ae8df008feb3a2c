// Human time labels shared by the mail and the web page: UTC, English, built by hand instead
// of Intl so the output does not depend on the host's ICU data, zone or locale.
import { offsetAt, type ZoneSpec } from './plain-times/zones.js';
import type { SlotSpan } from './slots.js';

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
export function instantLabelInZone(d: Date, zone: ZoneSpec, seconds = false): string {
  const wall = new Date(d.getTime() + offsetAt(d.getTime(), zone) * 60_000);
  return `${dayLabel(wall)}, ${clockLabel(wall, seconds)} ${zone}`;
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
  /** Only the clock when the slot ends on the same UTC day, else day and clock. */
  endLabel: string;
  sameDay: boolean;
  /** "1 h 30 min" */
  length: string;
  /**
   * The whole slot on one line: "Tue 11 Mar 2031, 14:00–15:30 UTC (1 h 30 min)", or with the
   * end's day spelled out past midnight: "Tue 11 Mar 2031, 23:30 – Wed 12 Mar 2031, 00:30 UTC (1 h)".
   */
  text: string;
}

/** Every label of one slot: the mail prints `text`, the page its parts. */
export function slotLabels({ beginMs, durationMs }: SlotSpan): SlotLabels {
  const begin = new Date(beginMs);
  const end = new Date(beginMs + durationMs);
  const beginDay = dayLabel(begin);
  const endDay = dayLabel(end);
  const sameDay = beginDay === endDay;
  const startLabel = `${beginDay}, ${clockLabel(begin)}`;
  const endLabel = sameDay ? clockLabel(end) : `${endDay}, ${clockLabel(end)}`;
  const length = lengthLabel(Math.floor(durationMs / 1000));
  return { startLabel, endLabel, sameDay, length, text: `${startLabel}${sameDay ? '–' : ' – '}${endLabel} UTC (${length})` };
}
