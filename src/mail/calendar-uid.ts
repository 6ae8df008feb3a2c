// The UIDs our calendar objects carry (RFC 5545 §3.8.4.7), shared by the outbound door that
// writes them (ics.ts) and the inbound door that matches a calendar's REPLY or COUNTER to its
// event by UID (never by ORGANIZER, which Outlook.com leaves out).
import type { SlotView } from '../domain/notification.js';

/** Stable per event+slot; `/` is not wrong in a UID but some clients use UIDs in URLs/paths. */
export function slotUid(input: { eventId: number; mailDomain: string }, slot: Pick<SlotView, 'key'>): string {
  return `calndro-${input.eventId}-${slot.key.replace(/\//g, '-')}@${input.mailDomain}`;
}

/** One UID per event for REQUEST and CANCEL: the CANCEL must name what the REQUEST created. */
export function eventUid(input: { eventId: number; mailDomain: string }): string {
  return `calndro-${input.eventId}@${input.mailDomain}`;
}

/** Whether `uid` is one we gave event `eventId` (the invite's, or one of its proposed slots'). */
export function uidOfEvent(uid: string, eventId: number, mailDomain: string): boolean {
  const at = uid.lastIndexOf('@');
  if (at < 0 || uid.slice(at + 1).toLowerCase() !== mailDomain.toLowerCase()) return false;
  return new RegExp(`^calndro-${eventId}(?:--?\\d+-\\d+)?$`).test(uid.slice(0, at));
}
