// Zones for times written in words (SPEC §10, §12): an IANA name or a fixed UTC offset.
// Wall times become instants through slots.ts's parseBegin, the one place that resolves a wall
// clock in a zone (DST by the zone's rules; see wallToUs for the gap and the repeated hour).
import { parseBegin, zoneOffsetMinutes } from '../slots.js';

/** An IANA zone ("Europe/Paris", "UTC") or a fixed offset "+02:00". */
export type ZoneSpec = string;

const FIXED = /^([+-])(\d{2}):(\d{2})$/;

function ianaZone(name: string): string | null {
  try {
    // resolvedOptions gives the canonical spelling ("europe/paris" → "Europe/Paris").
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone in its canonical form, or null when it is neither a known IANA name nor ±HH:MM. */
export function normalizeZone(zone: string): ZoneSpec | null {
  const fixed = FIXED.exec(zone.trim());
  if (fixed) return Number(fixed[2]) <= 23 && Number(fixed[3]) <= 59 ? zone.trim() : null;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone.trim())) return null;
  return ianaZone(zone.trim());
}

/** "+02:00" for 120, "-03:30" for -210. */
export function offsetZone(minutes: number): ZoneSpec {
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The zone's UTC offset at an instant, in minutes (+60 for Paris in winter). */
export function offsetAt(instantMs: number, zone: ZoneSpec): number {
  const fixed = FIXED.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  return zoneOffsetMinutes(instantMs, zone);
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Naive milliseconds of a wall time, for arithmetic on wall clocks (lengths of ranges). */
export function wallMs(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

export function wallFromMs(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

/**
 * The instant (µs) of a wall time in a zone; null for a date that does not exist. Resolved as
 * parseBegin does everywhere (Temporal's "compatible"): a repeated hour (autumn) means its first
 * occurrence; a wall time in the spring gap is read with the offset before the change, so
 * "02:30" on the day Berlin skips 02:00–03:00 is 01:30 UTC, shown as 03:30 CEST.
 */
export function wallToUs(w: WallTime, zone: ZoneSpec): bigint | null {
  if (w.year < 1 || w.year > 9999) return null;
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  const iso = `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
  return FIXED.test(zone) ? parseBegin(iso + zone) : parseBegin(iso, zone);
}

// "Date: Tue, 11 Mar 2031 14:00:00 +0900" — the numeric zone at the end (RFC 5322 §3.3).
// Obsolete named zones are read as RFC 5322 §4.3 says; "-0000" means "no zone information".
const DATE_ZONE = /([+-])(\d{2})(\d{2})\s*(?:\([^()]*\))?\s*$/;
const OBS_ZONES: Record<string, number> = {
  UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

/** The fixed offset an RFC 5322 Date header was written in ("+0900" → "+09:00"), or null. */
export function zoneOfDateHeader(dateHeader: string): ZoneSpec | null {
  const text = dateHeader.trim();
  const m = DATE_ZONE.exec(text);
  if (m) {
    if (m[1] === '-' && m[2] === '00' && m[3] === '00') return null;
    if (Number(m[2]) > 23 || Number(m[3]) > 59) return null;
    return `${m[1]}${m[2]}:${m[3]}`;
  }
  const named = /\b([A-Z]{1,3})\s*(?:\([^()]*\))?\s*$/.exec(text);
  const offset = named ? OBS_ZONES[named[1]!] : undefined;
  return offset === undefined ? null : offsetZone(offset);
}

// "Europe/Paris", "America/Argentina/Buenos_Aires", written after a time.
const IANA_WORD = /\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z_+\-]+(?:\/[A-Za-z_]+)?/g;
// "Eastern Time", "Pacific Standard Time": US usage follows the zone's rules, whatever the word.
const US_REGION = /\b(Eastern|Central|Mountain|Pacific)\s+(?:(?:Standard|Daylight)\s+)?Time\b/giu;
const US_ZONES: Record<string, string> = {
  eastern: 'America/New_York', central: 'America/Chicago', mountain: 'America/Denver', pacific: 'America/Los_Angeles',
};
// "London time", "New York time", "heure de Paris", "Berliner Zeit": a city of the IANA database.
const CITY_TIME = [
  /\b(\p{Lu}\p{L}+(?:\s\p{Lu}\p{L}+)?)\s+time\b/gu,
  /\bheure\s+(?:de\s+|d['’])(\p{Lu}[\p{L}-]+)/gu,
  /\b(\p{Lu}\p{L}+?)(?:er)?\s+Zeit\b/gu,
];
const CITY_ALIASES: Record<string, string> = { munich: 'Europe/Berlin', münchen: 'Europe/Berlin', cologne: 'Europe/Berlin', köln: 'Europe/Berlin', frankfurt: 'Europe/Berlin', hamburg: 'Europe/Berlin', lyon: 'Europe/Paris', genf: 'Europe/Zurich', genève: 'Europe/Zurich', geneva: 'Europe/Zurich', wien: 'Europe/Vienna', rom: 'Europe/Rome', londres: 'Europe/London', san_francisco: 'America/Los_Angeles', seattle: 'America/Los_Angeles', boston: 'America/New_York', washington: 'America/New_York', montréal: 'America/Toronto', montreal: 'America/Toronto' };
let cities: Map<string, string> | null = null;

function cityZone(name: string): string | null {
  if (!cities) {
    cities = new Map(Object.entries(CITY_ALIASES));
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const city = zone.split('/').at(-1)!.toLowerCase();
      if (zone.includes('/') && !cities.has(city)) cities.set(city, zone);
    }
  }
  return cities.get(name.toLowerCase().replace(/\s+/g, '_')) ?? null;
}

/** The zones named in a text (IANA names, US regions, "<city> time"), with where they stand. */
export function namedZones(text: string): { zone: ZoneSpec; index: number; length: number }[] {
  const found: { zone: ZoneSpec; index: number; length: number }[] = [];
  for (const m of text.matchAll(IANA_WORD)) {
    const zone = ianaZone(m[0]);
    if (zone) found.push({ zone, index: m.index!, length: m[0].length });
  }
  for (const m of text.matchAll(US_REGION)) found.push({ zone: US_ZONES[m[1]!.toLowerCase()]!, index: m.index!, length: m[0].length });
  for (const re of CITY_TIME) {
    for (const m of text.matchAll(re)) {
      const zone = cityZone(m[1]!);
      const overlaps = found.some((f) => m.index! < f.index + f.length && f.index < m.index! + m[0].length);
      if (zone && !overlaps) found.push({ zone, index: m.index!, length: m[0].length });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
