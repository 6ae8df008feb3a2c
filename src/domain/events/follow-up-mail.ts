// The follow-up's mails (SPEC §11) as parts of an event change: a reminder to a party who has
// not answered, the organizer's summary. Both go in the event's thread like every mail of it.
import { mailsFor, mergeBatches, slotViews, type MailBatch } from './mail-rows.js';
import { hasAnswered } from './follow-up-plan.js';
import type { Deps, EventRecord, LogEntryInput } from '../ports.js';
import type { FollowUpState } from '../follow-up-state.js';
import type { Slot } from '../slots.js';

export interface MailPart extends MailBatch {
  log: LogEntryInput[];
}

/**
 * The next reminder to each of `parties` (each must have a follow-up entry): one mail with the
 * current list, a fresh link and the deadline, the count advanced in `state`, REMIND logged.
 */
export function reminders(deps: Deps, event: EventRecord, state: FollowUpState, parties: string[], effector: string | null, data: Record<string, unknown> = {}): MailPart {
  const now = deps.clock.now().toISOString();
  const max = deps.config.followUp.remindersMax;
  const batches: MailBatch[] = [];
  const log: LogEntryInput[] = [];
  for (const party of parties) {
    const entry = state.parties![party]!;
    entry.sent += 1;
    entry.last = now;
    const left = Math.max(max - entry.sent, 0);
    batches.push(mailsFor(deps, event, 'reminder', [party], { details: { remindersLeft: left } }));
    log.push({ occurrence: 'REMIND', effector, slots: event.slots, data: { ...data, recipient: party, reminder: entry.sent, left } });
  }
  return { ...mergeBatches(...batches), log };
}

/** Who kept each slot still listed, by number, and who has not answered (the summary and the organizer's page). */
export function answerTable(event: Pick<EventRecord, 'slots' | 'parties' | 'answers'>): { keptBy: { number: number; parties: string[] }[]; silent: string[] } {
  return {
    keptBy: slotViews(event.slots).map((v) => ({ number: v.number, parties: event.parties.filter((p) => event.answers[p]?.includes(v.key)) })),
    silent: event.parties.filter((p) => !hasAnswered(event, p)),
  };
}

/** The slot kept by most parties, the earliest on a tie (the list is in time order); null when nobody kept any. */
export function mostKeptSlot(event: Pick<EventRecord, 'slots' | 'parties' | 'answers'>): Slot | null {
  const { keptBy } = answerTable(event);
  let best = -1;
  keptBy.forEach((row, i) => {
    if (row.parties.length > 0 && (best < 0 || row.parties.length > keptBy[best]!.parties.length)) best = i;
  });
  return best < 0 ? null : event.slots[best]!;
}

/** The organizer's summary, marked sent in `state`: the table, the replies that act, SUMMARY logged. */
export function summary(deps: Deps, event: EventRecord, state: FollowUpState, reason: 'all_answered' | 'deadline', booking: Slot | null): MailPart {
  state.summary = deps.clock.now().toISOString();
  const table = answerTable(event);
  const bookingNumber = booking ? event.slots.findIndex((s) => s.beginUs === booking.beginUs && s.durationUs === booking.durationUs) + 1 : 0;
  const batch = mailsFor(deps, event, 'summary', [event.ownerEmail], {
    // Each party's zone beside their address (SPEC §12: the summary shows each party's zone).
    details: { ...table, reason, partyZones: Object.fromEntries(Object.entries(event.zones).map(([who, z]) => [who, z.zone])), ...(bookingNumber > 0 && { booking: bookingNumber }) },
  });
  return {
    ...batch,
    log: [{ occurrence: 'SUMMARY', effector: null, slots: event.slots, data: { recipient: event.ownerEmail, reason, ...table, ...(bookingNumber > 0 && { booking: bookingNumber }) } }],
  };
}
