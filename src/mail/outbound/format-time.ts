// Human labels for mail bodies. Always UTC and English, built by hand instead of Intl so the
// output does not depend on the host's ICU data or zone (the web page shows local time).
import type { SlotView } from './payload.js';
import { parseInstant, slotSpan } from './slot-time.js';
import { clockLabel, dayLabel, lengthLabel } from '../../domain/time-labels.js';

/** "1 h", "30 min", "1 h 30 min", "1 d 2 h", "45 s". */
export const formatDuration = lengthLabel;

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
