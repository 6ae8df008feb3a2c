// Slot labels in a reader's zone (SPEC §10, §12): the same hand-built labels as time-labels.ts,
// shifted by the zone's offset at that instant. A zone is an IANA name or a fixed UTC offset
// (+01:00, as learned from a Date header), which Intl does not take, hence both forms here.
import { clockLabel, dayLabel, lengthLabel } from './time-labels.js';
import type { SlotSpan } from './slots.js';

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** Minutes east of UTC of `zone` at `utcMs`; null for a zone neither Intl nor an offset. */
export function zoneOffsetAt(zone: string, utcMs: number): number | null {
  const m = OFFSET.exec(zone.trim());
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(utcMs));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
  } catch {
    return null;
  }
}

/** "UTC+01:00" for an offset zone, the IANA name otherwise. */
export function zoneName(zone: string): string {
  return OFFSET.test(zone.trim()) ? `UTC${zone.trim().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}` : zone;
}

/** "Tue 11 Mar 2031, 15:00–16:00 Europe/Paris (1 h)"; the UTC label when the zone is unknown or UTC. */
export function zonedSlotLabel({ beginMs, durationMs }: SlotSpan, zone: string): string {
  const offset = zoneOffsetAt(zone, beginMs) ?? 0;
  const name = zoneOffsetAt(zone, beginMs) === null ? 'UTC' : zoneName(zone);
  const begin = new Date(beginMs + offset * 60_000);
  const end = new Date(beginMs + durationMs + offset * 60_000);
  const sameDay = dayLabel(begin) === dayLabel(end);
  const endLabel = sameDay ? clockLabel(end) : `${dayLabel(end)}, ${clockLabel(end)}`;
  return `${dayLabel(begin)}, ${clockLabel(begin)}${sameDay ? '–' : ' – '}${endLabel} ${name} (${lengthLabel(Math.floor(durationMs / 1000))})`;
}
