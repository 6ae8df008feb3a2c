// Reads an iMIP REPLY or COUNTER (RFC 5546 §3.2.3, §3.2.7): the attendee's answer to an invite,
// or their "propose new time". Anything else (REQUEST, a forwarded invite, garbage) yields null
// so the caller never mistakes it for an answer. Who and what it is about are matched later
// by UID and ATTENDEE (dispatch): Outlook.com leaves ORGANIZER out, so it is never needed here.
import ICAL from 'ical.js';
import { normalizeZone } from '../../domain/zones.js';
import { parseBegin } from '../../domain/slots.js';
import { vtimezoneOffsetMs, wallMs } from './vtimezone.js';

/**
 * The longest calendar text read (characters): real REPLY and COUNTER objects are a few KB
 * (Outlook's with its VTIMEZONE ~3 KB); a longer one is not read at all.
 */
export const MAX_ICS_CHARS = 64 * 1024;

export interface ImipReply {
  /** UID of the invite being answered. */
  uid: string;
  /** The replier's address, lowercased, without "mailto:". */
  attendee: string;
  /** Upper-case PARTSTAT: ACCEPTED, DECLINED, TENTATIVE, DELEGATED, … */
  partstat: string;
  /** SEQUENCE of the invite replied to (0 when absent, RFC 5546: required only if > 0). */
  sequence: number;
  /** COMMENT, which Outlook fills from the body of "respond with comments". */
  comment?: string;
}

/** A proposed new time (METHOD:COUNTER): start and end as instants (epoch ms). */
export interface ImipCounter {
  uid: string;
  /** The proposer as ATTENDEE names them, or null: Outlook's COUNTER may carry none with a PARTSTAT, or none at all. */
  attendee: string | null;
  sequence: number;
  startMs: number;
  endMs: number;
  comment?: string;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const address = (value: unknown): string | null => {
  const a = text(value)?.replace(/^mailto:/i, '').toLowerCase();
  return a && a.includes('@') ? a : null;
};

/** The VEVENT of a calendar object with METHOD `method`, its UID and SEQUENCE; null otherwise. */
function eventOf(icsText: string, method: string): { cal: ICAL.Component; event: ICAL.Component; uid: string; sequence: number } | null {
  if (typeof icsText !== 'string' || icsText.length > MAX_ICS_CHARS || !/BEGIN:VCALENDAR/i.test(icsText)) return null;
  const cal = new ICAL.Component(ICAL.parse(icsText));
  if (cal.name !== 'vcalendar') return null;
  if (text(cal.getFirstPropertyValue('method'))?.toUpperCase() !== method) return null;
  const event = cal.getFirstSubcomponent('vevent');
  const uid = text(event?.getFirstPropertyValue('uid'));
  if (!event || !uid) return null;
  const seq = Number(event.getFirstPropertyValue('sequence') ?? 0);
  return { cal, event, uid, sequence: Number.isInteger(seq) && seq >= 0 ? seq : 0 };
}

/** Parses an iCalendar text; null unless it is a well-formed METHOD:REPLY. Never throws. */
export function parseImipReply(icsText: string): ImipReply | null {
  try {
    const found = eventOf(icsText, 'REPLY');
    if (!found) return null;
    // RFC 5546: a REPLY carries exactly one ATTENDEE, the replier.
    const attendeeProp = found.event.getFirstProperty('attendee');
    const attendee = address(attendeeProp?.getFirstValue());
    const partstat = text(attendeeProp?.getParameter('partstat'))?.toUpperCase();
    if (!attendee || !partstat) return null;
    const comment = text(found.event.getFirstPropertyValue('comment'));
    return { uid: found.uid, attendee, partstat, sequence: found.sequence, ...(comment ? { comment } : {}) };
  } catch {
    return null;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A DTSTART/DTEND as an instant: UTC; a TZID that is an IANA zone, by Intl's zone rules (Google,
 * Apple); else a TZID the object defines in a VTIMEZONE (Outlook's "W. Europe Standard Time"),
 * read with bounded work (vtimezone.ts), null when its rules are not a shape read there;
 * floating, or a TZID defined nowhere, read as UTC. ical.js's Timezone is never used: a
 * sender's RRULE in it would drive an expansion without end.
 */
function instant(event: ICAL.Component, cal: ICAL.Component, name: string): number | null {
  const prop = event.getFirstProperty(name);
  const value = prop?.getFirstValue();
  if (!(value instanceof ICAL.Time)) return null;
  const wall = wallMs(value.year, value.month, value.day, value.hour, value.minute, value.second);
  if (!Number.isFinite(wall)) return null;
  const tzid = prop!.getParameter('tzid');
  if (typeof tzid !== 'string' || value.zone === ICAL.Timezone.utcTimezone) return wall;
  const zone = normalizeZone(tzid);
  if (zone) {
    const iso = `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)}T${pad(value.hour)}:${pad(value.minute)}:${pad(value.second)}`;
    const us = parseBegin(iso, zone);
    return us === null ? null : Number(us / 1000n);
  }
  const vtz = cal.getAllSubcomponents('vtimezone').find((c) => c.getFirstPropertyValue('tzid') === tzid);
  if (!vtz) return wall;
  const offset = vtimezoneOffsetMs(vtz, wall);
  return offset === null ? null : wall - offset;
}

/**
 * Parses an iCalendar text; null unless it is a well-formed METHOD:COUNTER with a start and
 * an end (DTEND, or DURATION) after it. Never throws.
 */
export function parseImipCounter(icsText: string): ImipCounter | null {
  try {
    const found = eventOf(icsText, 'COUNTER');
    if (!found) return null;
    const { event, cal } = found;
    const startMs = instant(event, cal, 'dtstart');
    if (startMs === null) return null;
    let endMs = instant(event, cal, 'dtend');
    const duration = event.getFirstPropertyValue('duration');
    if (endMs === null && duration instanceof ICAL.Duration) endMs = startMs + duration.toSeconds() * 1000;
    if (endMs === null || endMs <= startMs) return null;
    const comment = text(event.getFirstPropertyValue('comment'));
    return {
      uid: found.uid,
      attendee: address(event.getFirstProperty('attendee')?.getFirstValue()),
      sequence: found.sequence,
      startMs,
      endMs,
      ...(comment ? { comment } : {}),
    };
  } catch {
    return null;
  }
}
