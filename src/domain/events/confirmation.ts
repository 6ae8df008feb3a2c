// SPEC §7: confirmed when exactly one slot remains and every party's latest answer includes it.
import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { slotKey, type Slot } from '../slots.js';
import { mailsFor, slotViews } from './mail-rows.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';

export function confirmableSlot(event: Pick<EventRecord, 'status' | 'slots' | 'parties' | 'answers'>): Slot | null {
  if (event.status !== 'open' || event.slots.length !== 1) return null;
  const only = event.slots[0]!;
  const key = slotKey(only);
  return event.parties.every((p) => event.answers[p]?.includes(key)) ? only : null;
}

/**
 * If `next` (the event as it will be after a change) meets the rule, extends `change` so the
 * same atomic write confirms it and queues the REQUEST invite for every party. The status
 * moves open → confirmed under the version guard, so the invite goes out exactly once.
 */
export function withConfirmation(deps: Deps, ctx: ActionContext, next: EventRecord, change: EventChange): boolean {
  const slot = confirmableSlot(next);
  if (!slot) return false;
  const batch = mailsFor(deps, next, 'confirmation', next.parties, {
    confirmedSlot: slotViews([slot])[0]!,
    sequence: next.inviteSequence,
  });
  change.status = 'confirmed';
  change.invitedAt = deps.clock.now();
  change.tokens = [...(change.tokens ?? []), ...batch.tokens];
  change.outbox = [...(change.outbox ?? []), ...batch.outbox];
  change.log.push({
    occurrence: 'CONFIRM',
    effector: actorEmail(ctx.actor),
    slots: next.slots,
    data: { ...contextData(ctx), recipients: next.parties },
  });
  return true;
}
