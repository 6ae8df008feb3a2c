import { DomainError } from '../errors.js';
import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { slotKey, type Slot } from '../slots.js';
import { parseInput } from '../parse-input.js';
import { eventInputs } from './inputs.js';
import { mutateEvent } from './mutate-event.js';
import { withConfirmation } from './confirmation.js';
import { requireFutureRespondBy, respondByText } from './respond-by.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';

export interface ParsedPatch {
  title?: string;
  slots?: Slot[];
  /** null clears the deadline. */
  respondBy?: Date | null;
}

export function assertOpen(event: EventRecord): void {
  if (event.status !== 'open') {
    throw new DomainError('event_closed', `The event is ${event.status}; it can no longer change.`, { status: event.status });
  }
}

/**
 * The UPDATE part of a change: new title/slots, the answer recorded when the effector is a
 * party (SPEC §7), and confirmation if the rule is now met. Shared by PATCH and answers.
 */
export function updateChange(deps: Deps, ctx: ActionContext, event: EventRecord, patch: ParsedPatch): { change: EventChange; next: EventRecord } {
  assertOpen(event);
  const who = actorEmail(ctx.actor);
  const answers = { ...event.answers };
  if (patch.slots && event.parties.includes(who)) answers[who] = patch.slots.map(slotKey);
  const change: EventChange = {
    ...(patch.title !== undefined && { title: patch.title }),
    ...(patch.slots && { slots: patch.slots }),
    ...(patch.respondBy !== undefined && { respondBy: patch.respondBy }),
    answers,
    log: [{
      occurrence: 'UPDATE',
      effector: who,
      slots: patch.slots ?? event.slots,
      data: {
        ...contextData(ctx),
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.respondBy !== undefined && { respond_by: respondByText(patch.respondBy) }),
      },
    }],
  };
  const next: EventRecord = {
    ...event, title: patch.title ?? event.title, slots: patch.slots ?? event.slots, answers,
    respondBy: patch.respondBy === undefined ? event.respondBy : patch.respondBy,
  };
  withConfirmation(deps, ctx, next, change);
  return { change, next };
}

/**
 * PATCH: replaces title and/or the slot list; `parties` and unknown fields are ignored
 * (SPEC §3). Logs UPDATE. Concurrent patches never lose writes.
 */
export async function patchEvent(deps: Deps, ctx: ActionContext, id: number, input: unknown): Promise<EventRecord> {
  const { title, slots, respond_by: respondBy } = parseInput(eventInputs(deps.config.defaultTimeZone).patch, input);
  requireFutureRespondBy(respondBy, deps.clock.now());
  const patch: ParsedPatch = { ...(title != null && { title }), ...(slots && { slots }), ...(respondBy !== undefined && { respondBy }) };
  return mutateEvent(deps, ctx.actor, id, 'patch', (event) => updateChange(deps, ctx, event, patch).change);
}
