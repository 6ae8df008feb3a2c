import { DomainError, validationError, type FieldErrors } from '../errors.js';
import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { parseSlotList, slotKey, type Slot } from '../slots.js';
import { parseTitle } from './create-event.js';
import { mutateEvent } from './mutate-event.js';
import { withConfirmation } from './confirmation.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';

export interface PatchInput {
  title?: unknown;
  slots?: unknown;
}

export interface ParsedPatch {
  title?: string;
  slots?: Slot[];
}

/** Validates a PATCH body; `parties` and unknown fields are ignored (SPEC §3). */
export function parsePatch(deps: Deps, input: PatchInput): ParsedPatch {
  const errors: FieldErrors = {};
  const out: ParsedPatch = {};
  if (input.title !== undefined) {
    const title = parseTitle(input.title, errors);
    if (title !== undefined) {
      if (!title) errors.title = ['May not be blank.'];
      out.title = title;
    }
  }
  if (input.slots !== undefined) {
    const r = parseSlotList(input.slots, deps.config.defaultTimeZone);
    if (r.ok) out.slots = r.slots;
    else errors.slots = r.errors;
  }
  if (!Object.keys(errors).length && out.title === undefined && out.slots === undefined) {
    errors.non_field_errors = ['Nothing to update: send "slots" and/or "title".'];
  }
  if (Object.keys(errors).length) throw validationError(errors);
  return out;
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
    answers,
    log: [{
      occurrence: 'UPDATE',
      effector: who,
      slots: patch.slots ?? event.slots,
      data: { ...contextData(ctx), ...(patch.title !== undefined && { title: patch.title }) },
    }],
  };
  const next: EventRecord = { ...event, title: patch.title ?? event.title, slots: patch.slots ?? event.slots, answers };
  withConfirmation(deps, ctx, next, change);
  return { change, next };
}

/** PATCH: replaces title and/or the slot list. Logs UPDATE. Concurrent patches never lose writes. */
export async function patchEvent(deps: Deps, ctx: ActionContext, id: number, input: PatchInput): Promise<EventRecord> {
  const patch = parsePatch(deps, input);
  return mutateEvent(deps, ctx.actor, id, 'patch', (event) => updateChange(deps, ctx, event, patch).change);
}
