// Event + log → everything the page template shows, all labels precomputed (templates compile
// in strict mode: every key is present, null when there is nothing to show).
import { createHash } from 'node:crypto';
import { slotKey, slotSpan, type Slot } from '../../domain/slots.js';
import { actorEmail, type Actor } from '../../domain/actor.js';
import { allows } from '../../domain/access.js';
import type { EventRecord, LogEntryRecord } from '../../domain/ports.js';
import { instantLabel, slotLabels, type SlotLabels } from '../../domain/time-labels.js';
import { isUtcZone, zoneDisplayName } from '../../domain/zones.js';
import { zoneGroups } from './zone-options.js';
import { answerTable } from '../../domain/events/follow-up-mail.js';

export interface Notice {
  /** status: polite announcement (success); alert: something went wrong, nothing was saved */
  kind: 'status' | 'alert';
  text: string;
}

export interface FormFields {
  et: string | null;
  csrf: string;
}

/**
 * Fingerprint of the slot list the form was rendered from. The POST compares it with the
 * current list: a different list means the reader ticked boxes of a list that no longer
 * exists, so nothing is applied (numbers and meaning may have shifted).
 */
export function listVersion(slots: Slot[]): string {
  return createHash('sha256').update(slots.map(slotKey).join(',')).digest('hex').slice(0, 16);
}

export interface SlotTimes extends SlotLabels {
  /** ISO instants for <time datetime> (milliseconds: what browsers parse). */
  beginIso: string;
  endIso: string;
}

/**
 * The shared labels and instants: in the reader's zone when the event knows it (SPEC §12), else
 * in UTC, which page.js rewrites into the browser's zone.
 */
function slotTimes(slot: Slot, zone: string | null): SlotTimes {
  const span = slotSpan(slot);
  const endMs = span.beginMs + span.durationMs;
  return { beginIso: new Date(span.beginMs).toISOString(), endIso: new Date(endMs).toISOString(), ...slotLabels(span, zone) };
}

const WHAT: Record<LogEntryRecord['occurrence'], string> = {
  VIEW: 'viewed the event',
  UPDATE: 'changed the event',
  NOTIFY: 'sent notifications',
  CONFIRM: 'confirmed the event',
  CANCEL: 'cancelled the event',
  DELIVERED: 'mail delivered',
  FAILED: 'mail could not be delivered',
  BOUNCED: 'mail bounced',
  REPLY: 'e-mail reply',
  RSVP: 'calendar answer',
  SUGGEST: 'time suggested',
  REMIND: 'reminder sent',
  SUMMARY: 'summary sent to the organizer',
  DECLINECOUNTER: 'suggested time declined',
};

const STATUS: Record<EventRecord['status'], string> = {
  open: 'Open: collecting answers',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function logDetails(entry: LogEntryRecord): string {
  const d = entry.data;
  const parts: string[] = [];
  if (typeof d.via === 'string') parts.push(`via ${d.via}`);
  if (entry.occurrence === 'UPDATE' || entry.occurrence === 'CONFIRM') parts.push(plural(entry.slots.length, 'slot'));
  if (typeof d.title === 'string') parts.push(`title “${d.title}”`);
  if (Array.isArray(d.recipients)) parts.push(`to ${d.recipients.filter((r) => typeof r === 'string').join(', ')}`);
  if (typeof d.recipient === 'string') parts.push(`to ${d.recipient}`);
  if (typeof d.partstat === 'string') parts.push(d.partstat.toLowerCase());
  return parts.join(' · ');
}

export interface PageInput {
  event: EventRecord;
  /** The entries to show, newest first: one page of the log (SPEC §13). */
  entries: LogEntryRecord[];
  /** Links to the entries before these (null: these reach the first) and back to the newest (null: these are the newest). */
  logLinks: { older: string | null; newest: string | null };
  actor: Actor;
  form: FormFields | null;
  notice: Notice | null;
  action: string;
  /** Where a "Book this time" form posts (SPEC §11; shown to the organizer only). */
  bookAction: string;
  /** Where the zone form posts. */
  zoneAction: string;
}

export function pageView({ event, entries, logLinks, actor, form, notice, action, bookAction, zoneAction }: PageInput) {
  const reader = actorEmail(actor);
  const readerZone = event.zones[reader];
  const zone = readerZone && !isUtcZone(readerZone.zone) ? readerZone.zone : null;
  const keys = event.slots.map(slotKey);
  const numberOf = new Map(keys.map((k, i) => [k, i + 1]));
  const open = event.status === 'open';

  const slots = event.slots.map((slot, i) => {
    const key = keys[i]!;
    const keptBy = event.parties.filter((p) => event.answers[p]?.includes(key));
    return {
      number: i + 1,
      id: `slot-${i + 1}`,
      key,
      checked: true,
      times: slotTimes(slot, zone),
      keptBy: keptBy.length
        ? `Chosen by ${keptBy.length} of ${plural(event.parties.length, 'party', 'parties')}: ${keptBy.join(', ')}`
        : 'No party has chosen this slot yet',
    };
  });

  const parties = event.parties.map((email) => {
    const answer = event.answers[email];
    let label = 'no answer yet';
    if (answer) {
      const numbers = answer.map((k) => numberOf.get(k)).filter((n): n is number => n !== undefined);
      const gone = answer.length - numbers.length;
      label = answer.length === 0 ? 'answered: none of the slots' : `answered: ${numbers.length ? `slot ${numbers.join(', ')}` : ''}`;
      if (gone) label += `${numbers.length ? '; ' : ''}${plural(gone, 'slot')} no longer listed`;
    }
    return { email, you: email === reader, answer: label };
  });

  // The organizer sees the summary's table (SPEC §11): who kept each slot, who has not answered.
  const table = answerTable(event);
  const organizer = reader === event.ownerEmail ? {
    rows: table.keptBy.map((r) => ({ number: r.number, times: slotTimes(event.slots[r.number - 1]!, zone), count: r.parties.length, parties: r.parties.join(', ') || 'nobody' })),
    silent: table.silent.length ? table.silent.join(', ') : null,
  } : null;

  const confirmed: SlotTimes | null = event.status === 'confirmed' && event.slots[0] ? slotTimes(event.slots[0], zone) : null;
  const expires = actor.kind === 'token' ? actor.expiresAt : null;
  // The same rule the booking itself applies (owner or staff), so nobody sees a button that would fail.
  const booking = open && form && slots.length > 0 && allows(event, actor, 'book')
    ? { action: bookAction, et: form.et, csrf: form.csrf, slots: slots.map((s) => ({ number: s.number, key: s.key, times: s.times, keptBy: s.keptBy })) }
    : null;

  return {
    title: event.title,
    status: event.status,
    statusLabel: STATUS[event.status],
    open,
    confirmed,
    cancelled: event.status === 'cancelled',
    owner: event.ownerEmail,
    reader,
    readerIsParty: event.parties.includes(reader),
    expires: expires ? { iso: expires.toISOString(), label: instantLabel(expires, true) } : null,
    deadline: event.respondBy ? { iso: event.respondBy.toISOString(), label: instantLabel(event.respondBy) } : null,
    booking,
    parties,
    organizer,
    slots,
    hasSlots: slots.length > 0,
    form: open && form ? { action, et: form.et, csrf: form.csrf, version: listVersion(event.slots) } : null,
    // Times in the reader's zone (null: UTC, or the browser's with JavaScript) and the form that sets it.
    zoneShown: zone ? { value: zone, name: zoneDisplayName(zone) } : null,
    zoneSource: readerZone?.source ?? null,
    zoneForm: open && form && (event.parties.includes(reader) || event.ownerEmail === reader)
      ? { action: zoneAction, et: form.et, csrf: form.csrf, groups: zoneGroups(readerZone) }
      : null,
    notice,
    noticeIsAlert: notice?.kind === 'alert',
    logLinks,
    log: entries.map((e) => ({
      iso: e.when.toISOString(),
      when: instantLabel(e.when, true),
      occurrence: e.occurrence,
      what: WHAT[e.occurrence] ?? e.occurrence,
      effector: e.effector ?? 'calndro',
      details: logDetails(e),
    })),
  };
}

export type PageView = ReturnType<typeof pageView>;
