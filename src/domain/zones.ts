// Time zone rules, the one place for them (SPEC §10, §12): a zone is an IANA name ("Europe/Paris",
// checked and spelt as Intl knows it) or a fixed UTC offset ("+09:00", learned from a mail's
// Date header or written so). Intl supplies only the zone rules (offsets, DST); labels are built
// in time-labels.ts, wall clocks resolved in slots.ts (parseBegin), words read in plain-times/.

/** An IANA zone as Intl spells it ("Europe/Paris", "UTC") or a fixed offset "+02:00". */
export type ZoneSpec = string;

/** Where a party's zone came from: chosen (page, reply line) wins over learned (Date header). */
export type ZoneSource = 'chosen' | 'learned';

export interface PartyZone {
  zone: ZoneSpec;
  source: ZoneSource;
}

const WRITTEN_OFFSET = /^(?:(?:utc|gmt)\s*)?([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i;
const FIXED = /^([+-])(\d{2}):(\d{2})$/;
/** The widest offset in use (Kiribati, +14:00); anything beyond is a typo, not a zone. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** "+09:00" for a whole-minute offset from UTC (minutes east); "-00:00" is never produced. */
export function offsetZone(minutesEast: number): ZoneSpec {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Hours and minutes read as an offset zone, or null beyond ±14:00 or with minutes past 59. */
function boundedOffset(sign: string, hours: string, minutes = '0'): ZoneSpec | null {
  const total = Number(hours) * 60 + Number(minutes);
  if (Number(minutes) > 59 || total > MAX_OFFSET_MINUTES) return null;
  return offsetZone(sign === '+' ? total : -total);
}

/** Minutes east of UTC of a fixed-offset zone ("+09:00" → 540), or null for anything else. */
export function fixedOffsetMinutes(zone: ZoneSpec): number | null {
  const m = FIXED.exec(zone);
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
export function normalizeZone(text: string): ZoneSpec | null {
  const t = text.trim();
  if (!t || t.length > 64) return null;
  if (/^(utc|gmt|z)$/i.test(t)) return 'UTC';
  const m = WRITTEN_OFFSET.exec(t);
  if (m) return boundedOffset(m[1] === '+' ? '+' : '-', m[2]!, m[3]);
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(t)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone's offset from UTC at `ms`, in milliseconds (DST by the zone's rules). */
export function zoneOffsetMs(zone: ZoneSpec, ms: number): number {
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== null) return fixed * 60_000;
  const p: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  // Not Date.UTC: it maps years 0–99 to 1900–1999.
  const local = new Date(0);
  local.setUTCFullYear(p.year!, p.month! - 1, p.day!);
  local.setUTCHours(p.hour!, p.minute!, p.second!, 0);
  return local.getTime() - Math.floor(ms / 1000) * 1000;
}

/** The wall clock of the zone at `ms`, as a Date whose UTC fields read it (getUTCHours: the local hour). */
export function wallClockAt(zone: ZoneSpec, ms: number): Date {
  return new Date(ms + zoneOffsetMs(zone, ms));
}

/** Whether the zone is UTC itself (labels then stay as they were: "14:00 UTC"). */
export function isUtcZone(zone: ZoneSpec): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === '+00:00';
}

/** The short name printed after local times: "Paris", "New York", "UTC+09:00". */
export function zoneShortName(zone: ZoneSpec): string {
  if (fixedOffsetMinutes(zone) !== null) return `UTC${zone}`;
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** The name a person reads in a sentence: "Europe/Paris", "UTC+09:00". */
export function zoneDisplayName(zone: ZoneSpec): string {
  return fixedOffsetMinutes(zone) !== null ? `UTC${zone}` : zone;
}

// "Date: Tue, 11 Mar 2031 14:00:00 +0900 (JST)": the numeric zone at the end (RFC 5322 §3.3).
const DATE_ZONE = /\s([+-])(\d{2})(\d{2})\s*(?:\([^()]*\)\s*)?$/;
// The obsolete names RFC 5322 §4.3 gives an offset; military letters but Z mean "unknown" there.
const DATE_NAMED_ZONE = /\s([A-Z]{1,3})\s*(?:\([^()]*\)\s*)?$/;
const OBSOLETE_ZONES: Record<string, number> = {
  UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

/**
 * The UTC offset an RFC 5322 Date header was written in ("… 23:00:00 +0900" → "+09:00"); null
 * without one ("-0000" means unknown). Only the numeric form, unless `obsoleteNames` also reads
 * "GMT", "EST", … (RFC 5322 §4.3): a party's zone is learned from numbers alone (SPEC §12),
 * while a draft's times take any hint over UTC (plain-times).
 */
export function zoneOfDateHeader(date: string | null, { obsoleteNames = false } = {}): ZoneSpec | null {
  if (!date) return null;
  const text = date.trim();
  const m = DATE_ZONE.exec(text);
  if (m) return m[1] === '-' && m[2] === '00' && m[3] === '00' ? null : boundedOffset(m[1]!, m[2]!, m[3]);
  const named = obsoleteNames ? DATE_NAMED_ZONE.exec(text) : null;
  const minutes = named ? OBSOLETE_ZONES[named[1]!] : undefined;
  return minutes === undefined ? null : offsetZone(minutes);
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
