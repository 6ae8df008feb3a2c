// The UTC offset a sender's VTIMEZONE (RFC 5545 §3.6.5) gives a wall-clock time, read with a
// bounded amount of work whatever the sender wrote. ical.js's own Timezone expands every
// observance's RRULE from its DTSTART up to the time asked for, occurrence by occurrence: a rule
// with no occurrence (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31) never ends, and FREQ=SECONDLY from
// 1601 fills the memory. Here only the shapes real zones use are read, by arithmetic: an
// observance without RRULE (its DTSTART and RDATEs), or FREQ=YEARLY (INTERVAL 1) in one BYMONTH
// on an nth weekday (BYDAY=-1SU, 2SU), a month day (BYMONTHDAY=15), or a weekday among month
// days (BYDAY=SU;BYMONTHDAY=8,…,14); it looks at two years only. Anything else: null (unread).
import ICAL from 'ical.js';

/** RDATE values read from one VTIMEZONE at most; past it the zone is not read. */
const MAX_RDATES = 1000;
/** Observances (STANDARD/DAYLIGHT) read from one VTIMEZONE at most. */
const MAX_OBSERVANCES = 200;
/** No zone is further from UTC than a day. */
const MAX_OFFSET_MS = 24 * 3_600_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAY_MS = 86_400_000;

/** A wall-clock time as the ms of the same fields read as UTC (not Date.UTC: it maps years 0–99 to 1900s). */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

const wallOf = (t: ICAL.Time): number => wallMs(t.year, t.month, t.day, t.hour, t.minute, t.second);

function offsetMs(value: unknown): number | null {
  if (!(value instanceof ICAL.UtcOffset)) return null;
  const ms = value.toSeconds() * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_OFFSET_MS ? ms : null;
}

const daysIn = (year: number, month: number): number => new Date(wallMs(year, month + 1, 1) - DAY_MS).getUTCDate();

/** The month days of `year`/`month` a YEARLY rule's BYDAY/BYMONTHDAY names; null for a shape not read. */
function ruleDays(year: number, month: number, byDay: string[] | undefined, byMonthDay: number[] | undefined): number[] | null {
  const last = daysIn(year, month);
  const weekdayOf = (day: number) => new Date(wallMs(year, month, day)).getUTCDay();
  const monthDays = byMonthDay?.map((d) => (d < 0 ? last + 1 + d : d)).filter((d) => d >= 1 && d <= last);
  if (!byDay) return monthDays ?? null;
  if (byDay.length !== 1) return null;
  const m = /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(byDay[0]!);
  if (!m) return null;
  const weekday = WEEKDAYS.indexOf(m[2]!);
  if (monthDays) return m[1] ? null : monthDays.filter((d) => weekdayOf(d) === weekday);
  const nth = Number(m[1] ?? 0);
  if (nth === 0 || Math.abs(nth) > 5) return null;
  if (nth > 0) {
    const day = 1 + ((weekday - weekdayOf(1) + 7) % 7) + (nth - 1) * 7;
    return day <= last ? [day] : [];
  }
  const day = last - ((weekdayOf(last) - weekday + 7) % 7) + (nth + 1) * 7;
  return day >= 1 ? [day] : [];
}

interface Onset { wall: number; toMs: number }

/** The onsets of one observance in the years `years` (wall-clock ms); null when its RRULE is not a shape read here. */
function onsets(obs: ICAL.Component, years: number[], rdates: { left: number }): Onset[] | null {
  const start = obs.getFirstPropertyValue('dtstart');
  const toMs = offsetMs(obs.getFirstPropertyValue('tzoffsetto'));
  const fromMs = offsetMs(obs.getFirstPropertyValue('tzoffsetfrom'));
  if (!(start instanceof ICAL.Time) || toMs === null || fromMs === null) return null;
  const startWall = wallOf(start);
  const found: Onset[] = [{ wall: startWall, toMs }];
  for (const prop of obs.getAllProperties('rdate')) {
    for (const v of prop.getValues()) {
      if (--rdates.left < 0) return null;
      const t = v instanceof ICAL.Time ? v : v instanceof ICAL.Period ? v.start : null;
      if (t) found.push({ wall: wallOf(t), toMs });
    }
  }
  const rules = obs.getAllProperties('rrule');
  if (rules.length > 1) return null;
  const rule = rules[0]?.getFirstValue();
  if (rule === undefined) return found;
  if (!(rule instanceof ICAL.Recur) || rule.freq !== 'YEARLY' || (rule.interval ?? 1) !== 1) return null;
  const { BYMONTH, BYDAY, BYMONTHDAY, ...other } = rule.parts as { BYMONTH?: number[]; BYDAY?: string[]; BYMONTHDAY?: number[] };
  if (Object.keys(other).length || BYMONTH?.length !== 1) return null;
  const month = BYMONTH[0]!;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  // UNTIL in UTC (as RFC 5545 asks inside a VTIMEZONE) is compared as an instant, else as a wall clock.
  const until = rule.until instanceof ICAL.Time ? { ms: wallOf(rule.until), utc: rule.until.zone === ICAL.Timezone.utcTimezone } : null;
  for (const year of years) {
    if (rule.count && year - start.year >= rule.count) continue;
    const days = ruleDays(year, month, BYDAY, BYMONTHDAY);
    if (days === null) return null;
    for (const day of days) {
      const wall = wallMs(year, month, day, start.hour, start.minute, start.second);
      if (wall < startWall) continue;
      if (until && (until.utc ? wall - fromMs : wall) > until.ms) continue;
      found.push({ wall, toMs });
    }
  }
  return found;
}

/**
 * The offset (ms east of UTC) `vtz` gives the wall-clock time `wall` (ms, fields read as UTC):
 * that of the last onset at or before it; before every onset, the first observance's
 * TZOFFSETFROM. Null when the zone holds a rule not read here, or no observance at all.
 */
export function vtimezoneOffsetMs(vtz: ICAL.Component, wall: number): number | null {
  const observances = [...vtz.getAllSubcomponents('standard'), ...vtz.getAllSubcomponents('daylight')];
  if (!observances.length || observances.length > MAX_OBSERVANCES) return null;
  const year = new Date(wall).getUTCFullYear();
  const rdates = { left: MAX_RDATES };
  let best: Onset | null = null;
  let first: { wall: number; fromMs: number } | null = null;
  for (const obs of observances) {
    const found = onsets(obs, [year - 1, year], rdates);
    if (found === null) return null;
    for (const o of found) if (o.wall <= wall && (!best || o.wall > best.wall)) best = o;
    const fromMs = offsetMs(obs.getFirstPropertyValue('tzoffsetfrom'))!;
    if (!first || found[0]!.wall < first.wall) first = { wall: found[0]!.wall, fromMs };
  }
  return best ? best.toMs : first!.fromMs;
}
