// SPEC §11 timing, pure: when a party's next reminder is due and when the event next needs the
// follow-up worker. Read from the event as it will be after a change.
import type { EventRecord, FollowUpSettings } from '../ports.js';
import type { FollowUpState, PartyFollowUp } from '../follow-up-state.js';
import { nextCounterDue } from './counter-decline.js';

/** The deadline for answers, or null. */
export const deadlineOf = (event: Pick<EventRecord, 'respondBy'>): Date | null => event.respondBy;

export const hasAnswered = (event: Pick<EventRecord, 'answers'>, party: string): boolean => event.answers[party] !== undefined;

/**
 * With a deadline: at half the time the party had from the proposal and `remindBeforeMs`
 * before it, moments before the proposal (or the last reminder) skipped. Without: after
 * `remindAfterMs`, each next one twice the previous wait after the last. Null: no more.
 */
export function nextReminderAt(p: PartyFollowUp, deadline: Date | null, s: FollowUpSettings): Date | null {
  if (p.stopped || p.sent >= s.remindersMax) return null;
  const since = Date.parse(p.since);
  const last = p.last ? Date.parse(p.last) : null;
  if (!deadline) return new Date(last === null ? since + s.remindAfterMs : last + s.remindAfterMs * 2 ** p.sent);
  const end = deadline.getTime();
  const after = last ?? since;
  const moments = [since + (end - since) / 2, end - s.remindBeforeMs].filter((m) => m > after && m < end).sort((a, b) => a - b);
  return moments.length ? new Date(moments[0]!) : null;
}

/** Whether anybody was asked yet (the proposal went): before that there is nothing to follow up. */
export const proposed = (state: FollowUpState): boolean => Object.keys(state.parties ?? {}).length > 0;

/** The parties still due a reminder at some point: asked, not answered, not stopped. */
export function waitingParties(event: Pick<EventRecord, 'parties' | 'answers'>, state: FollowUpState): string[] {
  return event.parties.filter((p) => state.parties?.[p] && !hasAnswered(event, p) && !state.parties[p]!.stopped);
}

/**
 * When the worker next has work for the event: a reminder, the deadline's summary, a booking,
 * a calendar counter to decline (also once confirmed: the booked time was not theirs); null: none.
 */
export function followUpDue(event: EventRecord, state: FollowUpState, s: FollowUpSettings): Date | null {
  if (event.status === 'cancelled') return null;
  let due: number | null = nextCounterDue(state);
  const consider = (t: number) => {
    due = due === null ? t : Math.min(due, t);
  };
  if (event.status !== 'open' || !proposed(state)) return due === null ? null : new Date(due);
  const deadline = deadlineOf(event);
  for (const party of waitingParties(event, state)) {
    const at = nextReminderAt(state.parties![party]!, deadline, s);
    if (at) consider(at.getTime());
  }
  if (deadline && (!state.summary || state.book)) consider(deadline.getTime());
  return due === null ? null : new Date(due);
}
