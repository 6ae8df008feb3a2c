// Server-side time labels of the web page: always UTC with the zone spelled out, so the page is
// right without JavaScript. templates/web/static/page.js rewrites them into the reader's zone.
// Built by hand (not Intl) so the output does not depend on the host's ICU data or locale.
import type { Slot } from '../../domain/slots.js';
import { clockLabel, dayLabel, lengthLabel } from '../../domain/time-labels.js';

export interface SlotTimes {
  /** ISO instants for <time datetime> (milliseconds: what browsers parse). */
  beginIso: string;
  endIso: string;
  startLabel: string;
  /** Only the clock when the slot ends on the same UTC day, else day and clock. */
  endLabel: string;
  sameDay: boolean;
  /** "1 h 30 min" */
  length: string;
  /** The whole thing on one line: "Tue 11 Mar 2031, 14:00–15:30 UTC (1 h 30 min)". */
  text: string;
}

export function slotTimes(slot: Slot): SlotTimes {
  // Microseconds below a millisecond are not shown anywhere on the page.
  const beginMs = Number(slot.beginUs / 1000n);
  const endMs = Number((slot.beginUs + slot.durationUs) / 1000n);
  const begin = new Date(beginMs);
  const end = new Date(endMs);
  const sameDay = dayLabel(begin) === dayLabel(end);
  const startLabel = `${dayLabel(begin)}, ${clockLabel(begin)}`;
  const endLabel = sameDay ? clockLabel(end) : `${dayLabel(end)}, ${clockLabel(end)}`;
  const length = lengthLabel(Number(slot.durationUs / 1_000_000n));
  return {
    beginIso: begin.toISOString(),
    endIso: end.toISOString(),
    startLabel,
    endLabel,
    sameDay,
    length,
    text: `${startLabel}${sameDay ? '–' : ' – '}${endLabel} UTC (${length})`,
  };
}

/** Log timestamps: "Tue 11 Mar 2031, 14:00:05 UTC". */
export function stampLabel(d: Date): string {
  return `${dayLabel(d)}, ${clockLabel(d, true)} UTC`;
}
