// Keeps an event's follow-up (SPEC §11) in step with every change of it: applied by
// mutateEvent (and the follow-up worker) to the change an operation decided, inside the same
// write. A proposal starts a party's reminder clock; the answer that completes the round sends
// the organizer's summary, once; Event.followUpAt always says when the worker is next needed.
import { summary } from './follow-up-mail.js';
import { followUpDue, hasAnswered, proposed } from './follow-up-plan.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';
import type { FollowUpState } from '../follow-up-state.js';

/** The event as `change` leaves it (the fields the follow-up reads). */
function after(event: EventRecord, change: EventChange, state: FollowUpState): EventRecord {
  return {
    ...event,
    ...(change.status && { status: change.status }),
    ...(change.slots && { slots: change.slots }),
    ...(change.answers && { answers: change.answers }),
    ...(change.title !== undefined && { title: change.title }),
    ...(change.respondBy !== undefined && { respondBy: change.respondBy }),
    followUp: state,
  };
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export function keepFollowUp(deps: Deps, event: EventRecord, change: EventChange): EventChange {
  const state: FollowUpState = structuredClone(change.followUp ?? event.followUp);
  const now = deps.clock.now().toISOString();
  for (const mail of change.outbox ?? []) {
    if (mail.kind !== 'proposal' || !event.parties.includes(mail.recipient) || state.parties?.[mail.recipient]) continue;
    state.parties = { ...state.parties, [mail.recipient]: { since: now, sent: 0 } };
  }
  const next = after(event, change, state);
  const out: EventChange = { ...change };
  if (next.status === 'open' && proposed(state) && !state.summary && next.parties.every((p) => hasAnswered(next, p))) {
    const part = summary(deps, next, state, 'all_answered', null);
    out.log = [...out.log, ...part.log];
    out.tokens = [...(out.tokens ?? []), ...part.tokens];
    out.outbox = [...(out.outbox ?? []), ...part.outbox];
  }
  const due = followUpDue(next, state, deps.config.followUp);
  if (JSON.stringify(state) !== JSON.stringify(event.followUp)) out.followUp = state;
  if (!sameTime(due, event.followUpAt)) out.followUpAt = due;
  return out;
}
