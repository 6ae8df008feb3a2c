// Reads an iMIP REPLY (RFC 5546 §3.2.3): the attendee's answer to an invite whose ORGANIZER is
// our meet+<token> address. Only METHOD:REPLY is accepted; anything else (REQUEST, COUNTER, a
// forwarded invite, garbage) yields null so the caller never mistakes it for an answer.
import ICAL from 'ical.js';

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

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Parses an iCalendar text; null unless it is a well-formed METHOD:REPLY. Never throws. */
export function parseImipReply(icsText: string): ImipReply | null {
  try {
    if (typeof icsText !== 'string' || !/BEGIN:VCALENDAR/i.test(icsText)) return null;
    const cal = new ICAL.Component(ICAL.parse(icsText));
    if (cal.name !== 'vcalendar') return null;
    if (text(cal.getFirstPropertyValue('method'))?.toUpperCase() !== 'REPLY') return null;
    const event = cal.getFirstSubcomponent('vevent');
    if (!event) return null;
    const uid = text(event.getFirstPropertyValue('uid'));
    // RFC 5546: a REPLY carries exactly one ATTENDEE, the replier.
    const attendeeProp = event.getFirstProperty('attendee');
    const attendee = text(attendeeProp?.getFirstValue())?.replace(/^mailto:/i, '').toLowerCase();
    const partstat = text(attendeeProp?.getParameter('partstat'))?.toUpperCase();
    if (!uid || !attendee || !attendee.includes('@') || !partstat) return null;
    const seq = Number(event.getFirstPropertyValue('sequence') ?? 0);
    const comment = text(event.getFirstPropertyValue('comment'));
    return {
      uid,
      attendee,
      partstat,
      sequence: Number.isInteger(seq) && seq >= 0 ? seq : 0,
      ...(comment ? { comment } : {}),
    };
  } catch {
    return null;
  }
}
