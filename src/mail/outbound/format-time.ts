// Human labels for mail bodies. Always UTC and English, built by hand instead of Intl so the
// output does not depend on the host's ICU data or zone (the web page shows local time).
import type { SlotView } from './payload.js';
import { parseInstant, slotSpan } from './slot-time.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number): string => String(n).padStart(2, '0');

/** "Tue 11 Mar 2031" */
function dayLabel(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "14:00", or "14:00:30" when the seconds are not zero. */
function clockLabel(d: Date): string {
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCSeconds() ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

/** "1 h", "30 min", "1 h 30 min", "1 d 2 h", "45 s". */
export function formatDuration(totalSeconds: number): string {
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}

/** "Tue 18 Mar 2031, 14:00 UTC" */
export function formatInstant(iso: string): string {
  const d = new Date(parseInstant(iso));
  return `${dayLabel(d)}, ${clockLabel(d)} UTC`;
}

/**
 * "Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)"; when the slot ends on another UTC day the end
 * date is spelled out: "Tue 11 Mar 2031, 23:30 – Wed 12 Mar 2031, 00:30 UTC (1 h)".
 */
export function formatSlot(slot: Pick<SlotView, 'begin' | 'duration'>): string {
  const { startMs, endMs, durationSeconds } = slotSpan(slot);
  const start = new Date(startMs);
  const end = new Date(endMs);
  const length = formatDuration(durationSeconds);
  if (dayLabel(start) === dayLabel(end)) {
    return `${dayLabel(start)}, ${clockLabel(start)}–${clockLabel(end)} UTC (${length})`;
  }
  return `${dayLabel(start)}, ${clockLabel(start)} – ${dayLabel(end)}, ${clockLabel(end)} UTC (${length})`;
}
