// RenderInput → the flat, precomputed values the templates print. Templates stay logic-less:
// every label, list and flag is decided here, once, for both the text and the HTML part.
import Handlebars from 'handlebars';
import { REPLY_MARKER_HTML_ID, REPLY_MARKER_TEXT } from '../reply-marker.js';
import { instantLabel, slotLabels } from '../../domain/time-labels.js';
import { parseInstant } from './instant.js';
import type { MailKind, RenderInput, SlotView } from './payload.js';

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

/** Collapse line breaks and runs of blanks: titles and names are one-line by nature. */
export const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

const slotLine = (slot: SlotView): SlotLine => ({ number: slot.number, label: slotLabels(slot).text });
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

const slotLabelOf = (slots: SlotView[], n: number): string => {
  const slot = slots.find((s) => s.number === n);
  return slot ? slotLabels(slot).text : `slot ${n}`;
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
    slots: input.slots.map(slotLine),
    confirmed: input.confirmedSlot ? slotLine(input.confirmedSlot) : null,
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
    remindersLeft: details.remindersLeft ?? null,
    keptBy: (details.keptBy ?? []).map((k) => ({
      number: k.number,
      label: slotLabelOf(input.slots, k.number),
      parties: k.parties.join(', ') || 'nobody',
      count: k.parties.length,
    })),
    silent: details.silent?.length ? details.silent.join(', ') : null,
    atDeadline: details.reason === 'deadline',
    booking: details.booking !== undefined && input.slots.some((s) => s.number === details.booking)
      ? slotLine(input.slots.find((s) => s.number === details.booking)!) : null,
    bookExample: mostKept(details.keptBy) ?? input.slots[0]?.number ?? 1,
  };
}
