// RenderInput → the flat, precomputed values the templates print. Templates stay logic-less:
// every label, list and flag is decided here, once, for both the text and the HTML part.
import Handlebars from 'handlebars';
import { REPLY_MARKER_HTML_ID, REPLY_MARKER_TEXT } from '../reply-marker.js';
import { instantLabel, instantLabelInZone, slotLabels, zonedSlotLabel } from '../../domain/time-labels.js';
import { isUtcZone, zoneDisplayName } from '../../domain/zones.js';
import { parseInstant } from './instant.js';
import type { MailKind, RenderInput, SlotView } from './payload.js';
import type { SlotSpan } from '../../domain/slots.js';

export interface SlotLine {
  number: number;
  label: string;
}

/** Every key is always present (null when absent): templates compile in strict mode. */
export interface MailView {
  kind: MailKind;
  subject: string;
  title: string;
  botName: string;
  sender: string | null;
  recipient: string;
  parties: string;
  slots: SlotLine[];
  confirmed: SlotLine | null;
  link: string | null;
  /** The link for an HTML attribute, escaped only as an attribute needs (readable `=`). */
  linkHref: Handlebars.SafeString | null;
  expires: string | null;
  /** "Please answer by …" (SPEC §11), or how it stood once the event is decided; null: no deadline. */
  deadline: string | null;
  /** Numbers used in the "e.g." of the answer instructions, taken from the list itself. */
  example: string;
  marker: string;
  markerId: string;
  kept: string | null;
  keptNone: boolean;
  unknown: string | null;
  problem: string | null;
  /** Whether this mail carries an ICS the text may mention. */
  hasInvite: boolean;
  /** What the slot list's times are in: "times in UTC", "times in Europe/Paris, UTC beside". */
  zoneNote: string;
  /** The zone a reply just set ("Europe/Paris"), for the ack; null otherwise. */
  zoneSet: string | null;
  /** The ack answers a reply that only set the zone (no answer to acknowledge). */
  zoneOnly: boolean;
  /** suggestion/suggested: the proposed times, with the organizer's `add` line for each. */
  suggested: { label: string; add: string }[] | null;
  proposer: string | null;
  viaCalendar: boolean;
  /** draft-summary only: the draft as understood, in the sender's zone and in UTC. */
  draft: DraftView | null;
  /** organizer-help only: what the command did and the commands there are. */
  organizer: { done: string | null; commands: { usage: string; does: string }[] } | null;
  /** Reminder: how many more reminders may follow ("0" is shown as none). */
  remindersLeft: number | null;
  /** Summary: each slot with who kept it, who did not answer, why it went, a slot being booked. */
  keptBy: { number: number; label: string; parties: string; count: number }[];
  silent: string | null;
  atDeadline: boolean;
  booking: SlotLine | null;
  /** A number for the `book N` example of the summary. */
  bookExample: number;
}

export interface DraftView {
  open: boolean;
  expired: boolean;
  cancelled: boolean;
  noTimes: boolean;
  help: boolean;
  /** Send refused: the deadline for answers passed before the draft was sent. */
  deadlinePast: boolean;
  zone: string;
  /** "Answers requested by …" (SPEC §11), in the sender's zone and in UTC; null: no deadline. */
  respondBy: { local: string; utc: string } | null;
  slots: { number: number; local: string; utc: string }[];
  unreadable: { line: string; why: string }[];
  expires: string;
}

function draftView(input: RenderInput): DraftView | null {
  const d = input.draft;
  if (!d) return null;
  return {
    open: d.notice === 'summary' || d.notice === 'no_times' || d.notice === 'help' || d.notice === 'deadline_past',
    expired: d.notice === 'expired',
    cancelled: d.notice === 'cancelled',
    noTimes: d.notice === 'no_times',
    help: d.notice === 'help',
    deadlinePast: d.notice === 'deadline_past',
    zone: zoneDisplayName(d.zone),
    respondBy: d.respondBy ? deadlineIn(new Date(parseInstant(d.respondBy)), d.zone) : null,
    slots: input.slots.map((s) => ({ number: s.number, local: zonedSlotLabel(s, d.zone), utc: slotLabels(s).text })),
    unreadable: d.unreadable.map((u) => ({ line: oneLine(u.line), why: u.why })),
    expires: instantLabel(new Date(parseInstant(d.expiresAt))),
  };
}

function deadlineIn(at: Date, zone: string): { local: string; utc: string } {
  return { local: instantLabelInZone(at, zone), utc: instantLabel(at) };
}

/** Collapse line breaks and runs of blanks: titles and names are one-line by nature. */
export const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

const slotLine = (zone: string | undefined) => (slot: SlotView): SlotLine => ({ number: slot.number, label: slotLabels(slot, zone).text });

const zoneNote = (zone: string | undefined): string =>
  zone && !isUtcZone(zone) ? `times in ${zoneDisplayName(zone)}, UTC beside` : 'times in UTC';
const numbers = (list: number[] | undefined): string | null =>
  list && list.length > 0 ? list.join(', ') : null;

function example(slots: SlotView[]): string {
  const [first, , third] = slots;
  if (first && third) return `${first.number},${third.number}`;
  return slots.map((s) => s.number).join(',') || '1';
}

// Handlebars would also escape `=` (`?et&#x3D;…`): valid, but unreadable in the source and
// for anyone matching our own links. Inside a double-quoted attribute only & " < > matter;
// the scheme check keeps a javascript: URL out even if a caller passes one by mistake.
function linkHref(link: string | undefined): Handlebars.SafeString | null {
  if (link === undefined) return null;
  if (!/^https?:\/\//i.test(link)) throw new TypeError(`link must be http(s): ${link}`);
  const escaped = link
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return new Handlebars.SafeString(escaped);
}

/** Mails about a decided event, and the organizer's summary: the deadline is history there. */
const DECIDED: MailKind[] = ['confirmation', 'cancellation', 'summary'];

function deadline(input: RenderInput): string | null {
  if (!input.respondBy) return null;
  const when = instantLabel(new Date(parseInstant(input.respondBy)));
  return DECIDED.includes(input.kind) ? `Answers were requested by ${when}.` : `Please answer by ${when}.`;
}

function hasInvite(input: RenderInput): boolean {
  if (input.kind === 'proposal') return input.slots.length > 0;
  if (input.kind === 'confirmation') return true;
  if (input.kind === 'cancellation') return input.confirmedSlot !== undefined;
  return false;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The organizer's one-line answer that offers a suggested time to everyone (SPEC §10 `add`). */
function addLine({ beginMs, durationMs }: SlotSpan): string {
  const d = new Date(beginMs);
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return `add ${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC for ${Math.round(durationMs / 60_000)} min`;
}
/** "alice@example.com (Europe/Paris)" when the party has a zone (the summary, SPEC §12). */
const withZone = (zones: Record<string, string> | undefined) => (party: string): string =>
  zones?.[party] ? `${party} (${zoneDisplayName(zones[party]!)})` : party;
const slotLabelOf = (slots: SlotView[], n: number, zone: string | undefined): string => {
  const slot = slots.find((s) => s.number === n);
  return slot ? slotLabels(slot, zone).text : `slot ${n}`;
};
const mostKept = (rows: { number: number; parties: string[] }[] | undefined): number | undefined =>
  rows?.reduce<{ number: number; parties: string[] } | undefined>((best, r) => (!best || r.parties.length > best.parties.length ? r : best), undefined)?.number;

export function buildView(input: RenderInput, subject: string): MailView {
  if (input.kind === 'confirmation' && !input.confirmedSlot) {
    throw new TypeError('confirmation mail needs confirmedSlot');
  }
  const details = input.details ?? {};
  return {
    kind: input.kind,
    subject,
    title: oneLine(input.title),
    botName: oneLine(input.botName),
    sender: input.senderName ? oneLine(input.senderName) : null,
    recipient: input.recipient,
    parties: input.parties.join(', '),
    slots: input.slots.map(slotLine(input.zone)),
    confirmed: input.confirmedSlot ? slotLine(input.zone)(input.confirmedSlot) : null,
    link: input.link ?? null,
    linkHref: linkHref(input.link),
    expires: input.tokenExpiresAt ? instantLabel(new Date(parseInstant(input.tokenExpiresAt))) : null,
    deadline: deadline(input),
    example: example(input.slots),
    marker: REPLY_MARKER_TEXT,
    markerId: REPLY_MARKER_HTML_ID,
    kept: numbers(details.kept),
    keptNone: Array.isArray(details.kept) && details.kept.length === 0,
    unknown: numbers(details.unknownNumbers),
    problem: details.problem ?? null,
    hasInvite: hasInvite(input),
    zoneNote: zoneNote(input.zone),
    zoneSet: details.zoneSet ?? null,
    zoneOnly: details.zoneSet !== undefined && details.kept === undefined,
    suggested: details.suggested?.length ? details.suggested.map((s) => ({ label: slotLabels(s).text, add: addLine(s) })) : null,
    proposer: details.proposer ?? null,
    viaCalendar: details.suggestedVia === 'calendar',
    draft: draftView(input),
    organizer: input.kind === 'organizer-help' ? { done: details.done ?? null, commands: details.commands ?? [] } : null,
    remindersLeft: details.remindersLeft ?? null,
    keptBy: (details.keptBy ?? []).map((k) => ({
      number: k.number,
      label: slotLabelOf(input.slots, k.number, input.zone),
      parties: k.parties.map(withZone(details.partyZones)).join(', ') || 'nobody',
      count: k.parties.length,
    })),
    silent: details.silent?.length ? details.silent.map(withZone(details.partyZones)).join(', ') : null,
    atDeadline: details.reason === 'deadline',
    booking: details.booking !== undefined && input.slots.some((s) => s.number === details.booking)
      ? slotLine(input.zone)(input.slots.find((s) => s.number === details.booking)!) : null,
    bookExample: mostKept(details.keptBy) ?? input.slots[0]?.number ?? 1,
  };
}
