// Pure iCalendar builders (RFC 5545/5546, MAIL-NOTES §2): the output is a function of the
// RenderInput alone (DTSTAMP comes from input.now), so a retried outbox row yields the same bytes.
import { domainToASCII } from 'node:url';
import { createEvents, type Attendee, type EventAttributes, type ReturnObject } from 'ics';
import type { RenderInput, SlotView } from './payload.js';
import { parseInstant } from './instant.js';
import { normalizeIcs } from './ics-lines.js';

const PRODUCT_ID = '-//calndro//calndro mail//EN';

/** The `ics` package rejected our data: a bug in the caller, never user input to answer. */
export class IcsBuildError extends Error {
  readonly code = 'ics_build_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IcsBuildError';
  }
}

type Method = 'PUBLISH' | 'REQUEST' | 'CANCEL' | 'DECLINECOUNTER';
// `timestamp` (DTSTAMP) is accepted by the ics 3.12 schema but missing from its typings;
// without it DTSTAMP would be Date.now() and the output impure.
type IcsEvent = EventAttributes & { timestamp: number };

export { eventUid, slotUid } from '../calendar-uid.js';
import { eventUid, slotUid } from '../calendar-uid.js';

// Control characters would break content lines; `ics` only escapes \n (not a lone \r).
const icsText = (s: string): string => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
// `ics` backslash-escapes `"` inside quoted parameters, which RFC 5545 does not allow.
const paramSafe = (s: string): string => icsText(s).replace(/"/g, "'");
// `ics` validates addresses with yup's ASCII-only email check, and a party the API accepted
// (zoë@example.com) must not make the invite unbuildable: IDN domains go as punycode, and
// other local-part characters percent-encoded as UTF-8, the mailto: URI form (RFC 6068 §2).
const ICS_LOCAL_OK = /[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]/;
function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const local = [...address.slice(0, at)]
    .map((ch) => (ICS_LOCAL_OK.test(ch) ? ch : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')))
    .join('');
  const domain = domainToASCII(address.slice(at + 1));
  return `${local}@${domain || address.slice(at + 1)}`;
}

function timing(slot: SlotView): Pick<EventAttributes, 'start' | 'startInputType' | 'startOutputType'> & { end: number } {
  // Epoch ms in and 'utc' out gives `DTSTART:…Z`; `end` (not `duration`) makes `ics` emit DTEND.
  return { start: slot.beginMs, end: slot.beginMs + slot.durationMs, startInputType: 'utc', startOutputType: 'utc' };
}

function attendees(input: RenderInput): Attendee[] {
  return input.parties.map((party) => ({
    name: paramSafe(party),
    email: asciiAddress(party),
    rsvp: true,
    partstat: 'NEEDS-ACTION',
    role: 'REQ-PARTICIPANT',
  }));
}

// `ics` validates every event with yup, most of a proposal mail's cost (README, Decisions). One
// notify sends the same calendar to every party, so remember the last few outputs; the key
// is the complete `ics` input, so a hit returns exactly what a fresh build would.
const MEMO_SIZE = 64;
const memo = new Map<string, string>();

function build(method: Method, events: IcsEvent[]): string {
  const key = JSON.stringify([method, events]);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const ics = buildUncached(method, events);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, ics);
  return ics;
}

function buildUncached(method: Method, events: IcsEvent[]): string {
  let result: ReturnObject;
  try {
    result = createEvents(events, { method, productId: PRODUCT_ID });
  } catch (cause) {
    throw new IcsBuildError(`ics ${method}: ${String(cause)}`, { cause });
  }
  if (result.error || !result.value) {
    // `ics` returns a plain copy of the yup error (not an Error instance), with a message.
    const message = (result.error as { message?: string } | null)?.message ?? 'no output';
    throw new IcsBuildError(`ics ${method}: ${message}`, { cause: result.error });
  }
  return normalizeIcs(result.value);
}

function requireConfirmed(input: RenderInput, method: Method): SlotView {
  if (!input.confirmedSlot) throw new IcsBuildError(`ics ${method}: confirmedSlot is missing`);
  return input.confirmedSlot;
}

function requireOrganizer(input: RenderInput, method: Method): string {
  if (!input.organizerAddress) throw new IcsBuildError(`ics ${method}: organizerAddress is missing`);
  return asciiAddress(input.organizerAddress);
}

/**
 * METHOD:PUBLISH, one STATUS:TENTATIVE VEVENT per slot. RFC 5546 §3.2.1 forbids ATTENDEE in
 * PUBLISH (clients then offer "add to calendar", not Accept/Decline) but wants an ORGANIZER:
 * the plain bot address, since no iMIP reply is expected.
 */
export function buildProposalIcs(input: RenderInput): string {
  if (input.slots.length === 0) throw new IcsBuildError('ics PUBLISH: no slots');
  const timestamp = parseInstant(input.now);
  const total = input.slots.length;
  return build(
    'PUBLISH',
    input.slots.map((slot): IcsEvent => ({
      ...timing(slot),
      uid: slotUid(input, slot),
      title: icsText(`${input.title} (option ${slot.number} of ${total})`),
      timestamp,
      status: 'TENTATIVE',
      busyStatus: 'TENTATIVE',
      organizer: { name: paramSafe(input.botName), email: asciiAddress(input.botAddress) },
    })),
  );
}

/**
 * METHOD:REQUEST for the confirmed slot. ORGANIZER is the per-event bot address carrying a
 * token (clients send iMIP REPLY to the ORGANIZER, not to Reply-To); every party is an
 * ATTENDEE with RSVP=TRUE so Gmail/Outlook show Accept/Decline.
 */
export function buildRequestIcs(input: RenderInput): string {
  const slot = requireConfirmed(input, 'REQUEST');
  return build('REQUEST', [
    {
      ...timing(slot),
      uid: eventUid(input),
      title: icsText(input.title),
      timestamp: parseInstant(input.now),
      sequence: input.sequence ?? 0,
      status: 'CONFIRMED',
      organizer: { name: paramSafe(input.botName), email: requireOrganizer(input, 'REQUEST') },
      attendees: attendees(input),
    },
  ]);
}

/**
 * METHOD:CANCEL with the REQUEST's UID. RFC 5546 §3.2.5: receivers ignore a CANCEL whose
 * SEQUENCE is not higher than what they hold, so the caller must pass the bumped sequence.
 */
export function buildCancelIcs(input: RenderInput): string {
  const slot = requireConfirmed(input, 'CANCEL');
  if (input.sequence === undefined) throw new IcsBuildError('ics CANCEL: sequence is missing');
  return build('CANCEL', [
    {
      ...timing(slot),
      uid: eventUid(input),
      title: icsText(input.title),
      timestamp: parseInstant(input.now),
      sequence: input.sequence,
      status: 'CANCELLED',
      organizer: { name: paramSafe(input.botName), email: requireOrganizer(input, 'CANCEL') },
      attendees: attendees(input),
    },
  ]);
}

/**
 * METHOD:DECLINECOUNTER (RFC 5546 §3.2.8): the organizer keeps the original times. Names the
 * COUNTER's UID and SEQUENCE and repeats its proposed DTSTART/DTEND; ORGANIZER is the meet+
 * address the client knows from the REQUEST, the proposer the one ATTENDEE.
 */
export function buildDeclineCounterIcs(input: RenderInput): string {
  const counter = input.details?.counter;
  const proposed = input.details?.suggested?.[0];
  if (!counter || !proposed) throw new IcsBuildError('ics DECLINECOUNTER: counter or its time is missing');
  return build('DECLINECOUNTER', [
    {
      start: proposed.beginMs,
      end: proposed.beginMs + proposed.durationMs,
      startInputType: 'utc',
      startOutputType: 'utc',
      uid: counter.uid,
      title: icsText(input.title),
      timestamp: parseInstant(input.now),
      sequence: counter.sequence,
      organizer: { name: paramSafe(input.botName), email: requireOrganizer(input, 'DECLINECOUNTER') },
      attendees: [{ name: paramSafe(input.recipient), email: asciiAddress(input.recipient), role: 'REQ-PARTICIPANT' }],
    },
  ]);
}
