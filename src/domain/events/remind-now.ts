// The organizer's `remind` (SPEC §11): the next reminder now to every party asked who has not
// answered, counted towards REMINDERS_MAX like the scheduled ones.
import { actorEmail, contextData, inboundMark, type ActionContext } from '../actor.js';
import { changeEvent } from './mutate-event.js';
import { requireEvent } from './load-event.js';
import { assertOpen } from './patch-event.js';
import { reminders } from './follow-up-mail.js';
import { waitingParties } from './follow-up-plan.js';
import { bounceCounts, stopBounced } from './follow-up-event.js';
import type { Deps, EventRecord } from '../ports.js';
import type { FollowUpState } from '../follow-up-state.js';

export interface RemindResult {
  event: EventRecord;
  /** Who got a reminder now. */
  reminded: string[];
}

export async function remindNow(deps: Deps, ctx: ActionContext, id: number): Promise<RemindResult> {
  const stored = Number.isSafeInteger(id) && id > 0 ? await deps.events.get(id) : null;
  // Only the organizer (their own token or account) or staff: access.ts `remind`.
  const checked = requireEvent(stored, ctx.actor, id, 'remind');
  let reminded: string[] = [];
  const event = await changeEvent<string>(deps, id, (current, counts) => {
    const e = requireEvent(current, ctx.actor, id, 'remind');
    assertOpen(e);
    const state: FollowUpState = structuredClone(e.followUp);
    stopBounced(e, state, counts);
    reminded = waitingParties(e, state).filter((p) => state.parties![p]!.sent < deps.config.followUp.remindersMax);
    const part = reminders(deps, e, state, reminded, actorEmail(ctx.actor), contextData(ctx));
    return {
      ...inboundMark(ctx, 'applied', reminded.length ? `reminded ${reminded.join(', ')}` : 'remind: nobody left to remind'),
      followUp: state,
      log: part.log,
      tokens: part.tokens,
      outbox: part.outbox,
    };
  }, bounceCounts(checked.parties));
  return { event, reminded };
}
