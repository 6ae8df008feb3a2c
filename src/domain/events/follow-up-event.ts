// The follow-up worker's step for one due event (SPEC §11): the reminders due now, and at the
// deadline the organizer's summary (and, with AUTO_BOOK_AT_DEADLINE, the slot to book). All
// decided under the event's lock from what is stored, so of two instances handling the same
// event at once the second finds nothing left to send.
import { DomainError } from '../errors.js';
import { changeEvent } from './mutate-event.js';
import { bookSlot } from './book-slot.js';
import { reminders, summary, mostKeptSlot, type MailPart } from './follow-up-mail.js';
import { deadlineOf, nextReminderAt, waitingParties } from './follow-up-plan.js';
import { declineDueCounters } from './counter-decline.js';
import { slotKey, type Slot } from '../slots.js';
import type { Deps, EventChange, EventRecord, MailCountQueries } from '../ports.js';
import type { FollowUpState } from '../follow-up-state.js';

export interface FollowUpStep {
  reminded: string[];
  summary: boolean;
  /** Calendar counters declined (DECLINECOUNTER mails queued). */
  declined: number;
  /** AUTO_BOOK_AT_DEADLINE: the slot to book now (the caller books it through the decision). */
  book: Slot | null;
}

/** Bounce counts of the waiting parties, read under the event's lock. */
export function bounceCounts(parties: string[]): MailCountQueries<string> {
  return Object.fromEntries(parties.map((p, i) => [`bounced${i}`, { of: 'bounced', recipient: p }]));
}

function addPart(change: EventChange, part: MailPart): void {
  change.log.push(...part.log);
  change.tokens = [...(change.tokens ?? []), ...part.tokens];
  change.outbox = [...(change.outbox ?? []), ...part.outbox];
}

/** Parties of `event` whose mail to them bounced: no reminder again (marked in `state`). */
export function stopBounced(event: EventRecord, state: FollowUpState, counts: Record<string, number>): void {
  event.parties.forEach((p, i) => {
    const entry = state.parties?.[p];
    if (entry && !entry.stopped && (counts[`bounced${i}`] ?? 0) > 0) entry.stopped = 'bounced';
  });
}

export async function followUpEvent(deps: Deps, id: number): Promise<FollowUpStep> {
  const stored = await deps.events.get(id);
  const step: FollowUpStep = { reminded: [], summary: false, declined: 0, book: null };
  if (!stored) return step;
  const event = await changeEvent<string>(deps, id, (current, counts) => {
    if (!current) throw new DomainError('event_not_found', 'Not found.');
    const change: EventChange = { log: [] };
    // Cancelled: nothing more to send; the follow-up clears its due time.
    if (current.status === 'cancelled') return change;
    const state: FollowUpState = structuredClone(current.followUp);
    const declines = declineDueCounters(deps, current, state);
    addPart(change, declines);
    step.declined = declines.outbox.length;
    change.followUp = state;
    // Confirmed: only counters were left to settle.
    if (current.status !== 'open') return change;
    const now = deps.clock.now();
    const deadline = deadlineOf(current);
    stopBounced(current, state, counts);
    const past = !!deadline && deadline.getTime() <= now.getTime();
    if (!past) {
      const due = waitingParties(current, state).filter((p) => {
        const at = nextReminderAt(state.parties![p]!, deadline, deps.config.followUp);
        return at !== null && at.getTime() <= now.getTime();
      });
      if (due.length) addPart(change, reminders(deps, current, state, due, null));
      step.reminded = due;
    } else if (!state.summary) {
      const book = deps.config.followUp.autoBook ? mostKeptSlot(current) : null;
      if (book) state.book = slotKey(book);
      addPart(change, summary(deps, current, state, 'deadline', book));
      step.summary = true;
    }
    if (state.book) step.book = current.slots.find((s) => slotKey(s) === state.book) ?? null;
    change.followUp = state;
    return change;
  }, bounceCounts(stored.parties));
  if (event.status !== 'open') step.book = null;
  return step;
}

/**
 * The worker's handler: the step, then AUTO_BOOK_AT_DEADLINE's booking through the decision
 * (bookSlot) in the owner's name. A booking refused (the event closed, the slot gone) is
 * forgotten; a crash before it leaves the event due, so the booking is tried again.
 */
export async function followUp(deps: Deps, id: number): Promise<FollowUpStep> {
  const step = await followUpEvent(deps, id);
  if (!step.book) return step;
  const event = await deps.events.get(id);
  const owner = event && (await deps.users.findById(event.ownerId));
  if (!owner) return step;
  try {
    await bookSlot(deps, { actor: { kind: 'user', user: owner }, via: 'schedule' }, id, { slot: step.book });
  } catch (e) {
    if (!(e instanceof DomainError) || e.code === 'busy') throw e;
    await forgetBooking(deps, id);
  }
  return step;
}

/** A booking that could not be made: the deadline needs nothing more. */
async function forgetBooking(deps: Deps, id: number): Promise<void> {
  await changeEvent(deps, id, (current) => {
    if (!current) throw new DomainError('event_not_found', 'Not found.');
    const { book, ...rest } = current.followUp;
    return book === undefined ? { log: [] } : { log: [], followUp: rest };
  });
}
