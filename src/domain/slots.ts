// Parsing and normalizing slot times (SPEC §2), the one place that does it.
// Instants and durations are kept as bigint microseconds: JS Dates stop at milliseconds,
// and two slots are equal at microsecond precision whatever offset was written.
import { zoneOffsetMs, type ZoneSpec } from './zones.js';

export interface Slot {
  beginUs: bigint;
  durationUs: bigint;
}

const US_PER_S = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_S;
export const MAX_DURATION_US = 7n * US_PER_DAY;
export const MAX_SLOTS = 30;

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z|z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function fractionUs(frac: string | undefined): bigint {
  if (!frac) return 0n;
  // Beyond microseconds is truncated, like Django's parser.
  return BigInt(frac.slice(0, 6).padEnd(6, '0'));
}

/**
 * Offset (ms) for a wall-clock time in a zone, resolved like Django/Python and Temporal's
 * "compatible" rule: a repeated hour (DST ends) means its first occurrence, a skipped hour
 * (DST starts) is read with the offset in force before the change.
 */
function wallOffsetMs(wallMs: number, zone: ZoneSpec): number {
  const before = zoneOffsetMs(zone, wallMs - 86_400_000 / 2);
  const after = zoneOffsetMs(zone, wallMs + 86_400_000 / 2);
  if (before === after) return zoneOffsetMs(zone, wallMs - before);
  const tBefore = wallMs - before;
  const tAfter = wallMs - after;
  const validBefore = zoneOffsetMs(zone, tBefore) === before;
  const validAfter = zoneOffsetMs(zone, tAfter) === after;
  if (validBefore && validAfter) return tBefore <= tAfter ? before : after;
  if (validAfter && !validBefore) return after;
  return before;
}

/**
 * Parses an RFC 3339 / ISO 8601 instant; no offset means `defaultZone` (an IANA name or a fixed
 * offset, zones.ts). Null if invalid.
 */
export function parseBegin(input: string, defaultZone: ZoneSpec = 'UTC'): bigint | null {
  const m = DATETIME.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s ?? '0');
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // Not Date.UTC: it maps years 0–99 to 1900–1999.
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, 0);
  const wallMs = wall.getTime();
  if (wall.getUTCDate() !== day || wall.getUTCMonth() !== month - 1) return null; // 2022-02-30
  let offsetMs: number;
  if (z) offsetMs = 0;
  else if (sign) {
    const ohN = Number(oh), omN = Number(om ?? '0');
    if (ohN > 23 || omN > 59) return null;
    offsetMs = (sign === '-' ? -1 : 1) * (ohN * 60 + omN) * 60_000;
  } else if (defaultZone === 'UTC') offsetMs = 0;
  else offsetMs = wallOffsetMs(wallMs, defaultZone);
  const utcMs = BigInt(wallMs - offsetMs);
  return utcMs * 1000n + fractionUs(frac);
}

const CLOCK = /^(?:(\d+)\s+)?(\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

function decimalUs(value: string | undefined, unitUs: bigint): bigint {
  if (!value) return 0n;
  const [whole, frac = ''] = value.split('.');
  const scaled = BigInt(whole ?? '0') * unitUs;
  if (!frac) return scaled;
  const digits = frac.slice(0, 12);
  return scaled + (BigInt(digits) * unitUs) / 10n ** BigInt(digits.length);
}

/** Parses `HH:MM`, `HH:MM:SS[.ffffff]`, `D HH:MM:SS` or ISO 8601 `PnDTnHnMnS`. Null if invalid. */
export function parseDuration(input: string): bigint | null {
  const text = input.trim();
  const c = CLOCK.exec(text);
  if (c) {
    const [, days, hh, mm, ss, frac] = c;
    if (Number(mm) > 59 || Number(ss ?? '0') > 59) return null;
    return (
      BigInt(days ?? '0') * US_PER_DAY +
      BigInt(hh!) * 3600n * US_PER_S +
      BigInt(mm!) * 60n * US_PER_S +
      BigInt(ss ?? '0') * US_PER_S +
      fractionUs(frac)
    );
  }
  const iso = ISO_DURATION.exec(text);
  if (iso && text.length > 1 && !/T$/i.test(text)) {
    const [, w, d, h, m, s] = iso;
    return (
      decimalUs(w, 7n * US_PER_DAY) + decimalUs(d, US_PER_DAY) + decimalUs(h, 3600n * US_PER_S) +
      decimalUs(m, 60n * US_PER_S) + decimalUs(s, US_PER_S)
    );
  }
  return null;
}

const pad = (n: bigint | number, w = 2) => String(n).padStart(w, '0');

/** Whole epoch milliseconds of an instant in microseconds, rounded down (also before 1970). */
function floorMs(us: bigint): number {
  return Number(us / 1000n - (us % 1000n < 0n ? 1n : 0n));
}

/** UTC output form: `2022-11-01T01:11:22Z`, with `.ffffff` only when the fraction is not zero. */
export function formatBegin(us: bigint): string {
  let frac = us % US_PER_S;
  if (frac < 0n) frac += US_PER_S;
  const iso = new Date(floorMs(us)).toISOString().slice(0, 19);
  return frac === 0n ? `${iso}Z` : `${iso}.${pad(frac, 6)}Z`;
}

/** A Date in the same UTC output form (the deadline, SPEC §11). */
export function formatInstant(d: Date): string {
  return formatBegin(BigInt(d.getTime()) * 1000n);
}

/** `HH:MM:SS`, or `D HH:MM:SS` from one day up; `.ffffff` only when not zero. */
export function formatDuration(us: bigint): string {
  const days = us / US_PER_DAY;
  let rest = us % US_PER_DAY;
  const h = rest / (3600n * US_PER_S);
  rest %= 3600n * US_PER_S;
  const m = rest / (60n * US_PER_S);
  rest %= 60n * US_PER_S;
  const s = rest / US_PER_S;
  const frac = rest % US_PER_S;
  const clock = `${pad(h)}:${pad(m)}:${pad(s)}${frac === 0n ? '' : `.${pad(frac, 6)}`}`;
  return days > 0n ? `${days} ${clock}` : clock;
}

/**
 * A slot as the readers see it (mail, ICS, page, TUI): plain numbers, no text to parse back.
 * Digits below a millisecond are shown nowhere; the slot key keeps them for identity.
 */
export interface SlotSpan {
  /** Epoch milliseconds of the begin (UTC). */
  beginMs: number;
  /** Milliseconds from the begin to the end, both cut to whole milliseconds. */
  durationMs: number;
}

export function slotSpan(s: Slot): SlotSpan {
  const beginMs = floorMs(s.beginUs);
  // The end is cut on its own (not begin + cut duration), so it shows the instant it is.
  return { beginMs, durationMs: floorMs(s.beginUs + s.durationUs) - beginMs };
}

export function slotKey(s: Slot): string {
  return `${s.beginUs}/${s.durationUs}`;
}

export function parseSlotKey(key: string): Slot {
  const [b, d] = key.split('/');
  return { beginUs: BigInt(b!), durationUs: BigInt(d!) };
}

/** Sorts by begin then duration and drops duplicates (SPEC §2: duplicates collapse). */
export function normalizeSlots(slots: Slot[]): Slot[] {
  const seen = new Map<string, Slot>();
  for (const s of slots) seen.set(slotKey(s), s);
  return [...seen.values()].sort((a, b) =>
    a.beginUs === b.beginUs ? (a.durationUs < b.durationUs ? -1 : 1) : a.beginUs < b.beginUs ? -1 : 1,
  );
}

export function sameSlotLists(a: Slot[], b: Slot[]): boolean {
  const na = normalizeSlots(a), nb = normalizeSlots(b);
  return na.length === nb.length && na.every((s, i) => slotKey(s) === slotKey(nb[i]!));
}

export interface SlotInput {
  begin?: unknown;
  duration?: unknown;
}

/**
 * Validates raw slot input. Returns the normalized list, or field messages keyed by
 * position (`slots[2].begin`) so every bad entry is reported at once.
 */
export function parseSlotList(
  input: unknown,
  defaultZone: string,
): { ok: true; slots: Slot[] } | { ok: false; errors: string[] } {
  if (!Array.isArray(input)) return { ok: false, errors: ['Expected a list of {begin, duration} objects.'] };
  const errors: string[] = [];
  const slots: Slot[] = [];
  input.forEach((raw: unknown, i) => {
    const where = `Slot ${i + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push(`${where}: expected an object with begin and duration.`);
      return;
    }
    const { begin, duration } = raw as SlotInput;
    const b = typeof begin === 'string' ? parseBegin(begin, defaultZone) : null;
    const d = typeof duration === 'string' ? parseDuration(duration) : null;
    if (begin === undefined) errors.push(`${where}: begin is required.`);
    else if (b === null) errors.push(`${where}: begin ${JSON.stringify(begin)} is not an ISO 8601 date-time.`);
    if (duration === undefined) errors.push(`${where}: duration is required.`);
    else if (d === null) errors.push(`${where}: duration ${JSON.stringify(duration)} is not HH:MM[:SS], D HH:MM:SS or ISO 8601.`);
    else if (d <= 0n) errors.push(`${where}: duration must be longer than zero.`);
    else if (d > MAX_DURATION_US) errors.push(`${where}: duration must be at most 7 days.`);
    if (b !== null && d !== null && d > 0n && d <= MAX_DURATION_US) slots.push({ beginUs: b, durationUs: d });
  });
  if (errors.length) return { ok: false, errors };
  const normalized = normalizeSlots(slots);
  if (normalized.length > MAX_SLOTS) {
    return { ok: false, errors: [`At most ${MAX_SLOTS} slots per event (got ${normalized.length}).`] };
  }
  return { ok: true, slots: normalized };
}

export function slotToJson(s: Slot): { begin: string; duration: string } {
  return { begin: formatBegin(s.beginUs), duration: formatDuration(s.durationUs) };
}
