// Slot labels in a reader's zone (SPEC §10, §12): the same hand-built labels as time-labels.ts,
// shifted by the zone's offset at that instant (plain-times/zones.ts: IANA names and fixed
// offsets such as +01:00 learned from a Date header).
import { clockLabel, dayLabel, lengthLabel } from './time-labels.js';
import { normalizeZone, offsetAt } from './plain-times/zones.js';
import type { SlotSpan } from './slots.js';

/** "UTC+01:00" for an offset zone, the IANA name otherwise. */
export function zoneName(zone: string): string {
  return /^[+-]\d{2}:\d{2}$/.test(zone) ? `UTC${zone}` : zone;
}

/** "Tue 11 Mar 2031, 15:00–16:00 Europe/Paris (1 h)"; in UTC when the zone is not one we know. */
export function zonedSlotLabel({ beginMs, durationMs }: SlotSpan, zone: string): string {
  const known = normalizeZone(zone) ?? 'UTC';
  const offset = offsetAt(beginMs, known);
  const begin = new Date(beginMs + offset * 60_000);
  const end = new Date(beginMs + durationMs + offset * 60_000);
  const sameDay = dayLabel(begin) === dayLabel(end);
  const endLabel = sameDay ? clockLabel(end) : `${dayLabel(end)}, ${clockLabel(end)}`;
  return `${dayLabel(begin)}, ${clockLabel(begin)}${sameDay ? '–' : ' – '}${endLabel} ${zoneName(known)} (${lengthLabel(Math.floor(durationMs / 1000))})`;
}

/** "Fri 7 Mar 2031, 18:00 Europe/Paris": an instant on the wall clock of a reader's zone (UTC when unknown). */
export function zonedInstantLabel(instantMs: number, zone: string): string {
  const known = normalizeZone(zone) ?? 'UTC';
  const wall = new Date(instantMs + offsetAt(instantMs, known) * 60_000);
  return `${dayLabel(wall)}, ${clockLabel(wall)} ${zoneName(known)}`;
}
