// SPEC §12: a calendar client's COUNTER ("propose new time") the organizer ignores gets a
// DECLINECOUNTER, at respond_by if that is still ahead, else COUNTER_DECLINE_AFTER after it came.
// Kept in the event's follow-up state, so the follow-up worker (claim per event, the due time
// in Event.followUpAt) sends it once, across instances and restarts, in the write that settles it.
import { parseSlotKey, slotKey, slotSpan, slotToJson, type Slot } from '../slots.js';
import { mailsFor, mergeBatches, type MailBatch } from './mail-rows.js';
import type { Deps, EventRecord, LogEntryInput } from '../ports.js';
import type { CounterFollowUp, FollowUpState } from '../follow-up-state.js';

/** Settled entries kept for reading; pending ones are never dropped. */
const SETTLED_KEPT = 20;

/** When a counter arriving now is declined: the deadline if still ahead, else after COUNTER_DECLINE_AFTER. */
export function counterDueAt(deps: Deps, event: Pick<EventRecord, 'respondBy'>): Date {
  const now = deps.clock.now().getTime();
  const deadline = event.respondBy?.getTime();
  return new Date(deadline !== undefined && deadline > now ? deadline : now + deps.config.followUp.counterDeclineAfterMs);
}

/**
 * `state` with the counter added: an earlier pending counter of the same proposer for the same
 * event is superseded (the calendar shows only the latest), and old settled entries dropped.
 */
export function withCounter(deps: Deps, state: FollowUpState, counter: { proposer: string; uid: string; sequence: number; slot: Slot; due: Date }): FollowUpState {
  const now = deps.clock.now().toISOString();
  const list = (state.counters ?? []).map((c): CounterFollowUp => (!c.done && c.proposer === counter.proposer && c.uid === counter.uid
    ? { ...c, done: now, outcome: 'superseded' } : c));
  const settled = list.filter((c) => c.done);
  const kept = list.filter((c) => !c.done || settled.indexOf(c) >= settled.length - SETTLED_KEPT);
  const entry: CounterFollowUp = { proposer: counter.proposer, uid: counter.uid, sequence: counter.sequence, slot: slotKey(counter.slot), due: counter.due.toISOString() };
  return { ...state, counters: [...kept, entry] };
}

export const pendingCounters = (state: FollowUpState): CounterFollowUp[] => (state.counters ?? []).filter((c) => !c.done);

/** The soonest pending counter's due time (ms), or null. */
export function nextCounterDue(state: FollowUpState): number | null {
  const times = pendingCounters(state).map((c) => Date.parse(c.due));
  return times.length ? Math.min(...times) : null;
}

/**
 * Settles the counters due now (marked in `state`): one whose time is on the list now (the
 * organizer added it) needs nothing; any other gets a DECLINECOUNTER mail to its proposer, logged.
 */
export function declineDueCounters(deps: Deps, event: EventRecord, state: FollowUpState): MailBatch & { log: LogEntryInput[] } {
  const now = deps.clock.now();
  const listed = new Set(event.slots.map(slotKey));
  const batches: MailBatch[] = [];
  const log: LogEntryInput[] = [];
  for (const c of pendingCounters(state)) {
    if (Date.parse(c.due) > now.getTime()) continue;
    c.done = now.toISOString();
    if (listed.has(c.slot)) {
      c.outcome = 'added';
      continue;
    }
    c.outcome = 'declined';
    const slot = parseSlotKey(c.slot);
    batches.push(mailsFor(deps, event, 'decline-counter', [c.proposer], {
      details: { suggested: [slotSpan(slot)], proposer: c.proposer, suggestedVia: 'calendar', counter: { uid: c.uid, sequence: c.sequence } },
    }));
    log.push({ occurrence: 'DECLINECOUNTER', effector: null, slots: event.slots,
      data: { recipient: c.proposer, calendar_uid: c.uid, calendar_sequence: c.sequence, suggested: [slotToJson(slot)] } });
  }
  return { ...mergeBatches(...batches), log };
}
