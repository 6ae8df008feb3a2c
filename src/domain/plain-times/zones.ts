// Zones and wall clocks for times written in words (SPEC §10, §12), on the zone rules of
// ../zones.ts. Wall times become instants through slots.ts's parseBegin, the one place that
// resolves a wall clock in a zone (DST by the zone's rules; see wallToUs for the gap and the
// repeated hour).
import { parseBegin } from '../slots.js';
import { normalizeZone, zoneOfDateHeader as dateHeaderZone, type ZoneSpec } from '../zones.js';

export type { ZoneSpec } from '../zones.js';

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
  return parseBegin(iso, zone);
}

/**
 * The zone a mail's times are read in when neither they nor the sender name one: its Date
 * header's offset, the obsolete names ("EST", "GMT") read too since any hint beats UTC here
 * (a party's learned zone takes numbers alone: zones.ts).
 */
export function zoneOfDateHeader(dateHeader: string | null): ZoneSpec | null {
  return dateHeaderZone(dateHeader, { obsoleteNames: true });
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
    const zone = normalizeZone(m[0]);
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
