// Time zones of parties (SPEC §12): an IANA name ("Europe/Paris", checked and spelt as Intl
// knows it) or a fixed UTC offset ("+09:00", learned from a mail's Date header or written so).
// Intl supplies only the zone rules (offsets, DST); the labels are built in time-labels.ts.

/** Where a party's zone came from: chosen (page, reply line) wins over learned (Date header). */
export type ZoneSource = 'chosen' | 'learned';

export interface PartyZone {
  zone: string;
  source: ZoneSource;
}

const OFFSET = /^(?:(?:utc|gmt)\s*)?([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i;
const MAX_OFFSET_MINUTES = 14 * 60;

/** "+09:00" for a whole-minute offset from UTC (minutes east); "-00:00" is never produced. */
export function offsetZone(minutesEast: number): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Minutes east of UTC of a fixed-offset zone ("+09:00" → 540), or null for anything else. */
function fixedOffsetMinutes(zone: string): number | null {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per IANA zone, kept: building one costs far more than using it. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The zone as stored, from what a person wrote ("europe/paris", "US/Eastern", "UTC+9",
 * "+0900"): Intl's own spelling of an IANA name, or "+HH:MM"; null when it is neither.
 */
export function normalizeZone(text: string): string | null {
  const t = text.trim();
  if (!t || t.length > 64) return null;
  if (/^(utc|gmt|z)$/i.test(t)) return 'UTC';
  const m = OFFSET.exec(t);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    if (Number(m[3] ?? 0) > 59 || minutes > MAX_OFFSET_MINUTES) return null;
    return offsetZone(m[1] === '+' ? minutes : -minutes);
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(t)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone's offset from UTC at `ms`, in milliseconds (DST by the zone's rules). */
export function zoneOffsetMs(zone: string, ms: number): number {
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== null) return fixed * 60_000;
  const p: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - Math.floor(ms / 1000) * 1000;
}

/** Whether the zone is UTC itself (labels then stay as they were: "14:00 UTC"). */
export function isUtcZone(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === '+00:00';
}

/** The short name printed after local times: "Paris", "New York", "UTC+09:00". */
export function zoneShortName(zone: string): string {
  if (fixedOffsetMinutes(zone) !== null) return `UTC${zone}`;
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** The name a person reads in a sentence: "Europe/Paris", "UTC+09:00". */
export function zoneDisplayName(zone: string): string {
  return fixedOffsetMinutes(zone) !== null ? `UTC${zone}` : zone;
}

/** The UTC offset of an RFC 5322 Date header ("Tue, 11 Mar 2031 23:00:00 +0900" → "+09:00"); null without one ("-0000": unknown). */
export function zoneOfDateHeader(date: string | null): string | null {
  if (!date) return null;
  const m = /\s([+-])(\d{2})(\d{2})\s*(?:\([^)]*\)\s*)?$/.exec(date.trim());
  if (!m || (m[1] === '-' && m[2] === '00' && m[3] === '00')) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) > 59 || minutes > MAX_OFFSET_MINUTES) return null;
  return offsetZone(m[1] === '+' ? minutes : -minutes);
}

/**
 * The zone after a new one arrives: a chosen zone replaces anything; a learned one only
 * another learned one (or none). Null: nothing changes.
 */
export function nextZone(current: PartyZone | undefined, incoming: PartyZone): PartyZone | null {
  if (current?.source === 'chosen' && incoming.source === 'learned') return null;
  if (current && current.zone === incoming.zone && current.source === incoming.source) return null;
  return incoming;
}
