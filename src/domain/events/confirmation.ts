// SPEC §7: confirmed when exactly one slot remains and every party's latest answer includes it.
// SPEC §11: or when the organizer books a slot (book-slot.ts). Both confirm through confirmInto.
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
 * Extends `change` so the same atomic write confirms `next` (the event as it will be after the
 * change, its list the one slot decided): status `confirmed`, the REQUEST invite queued for
 * every party, a CONFIRM entry (with `data`). Callers decide on an `open` event inside
 * EventStore.mutate, so the status moves open → confirmed once and the invite goes out once.
 */
export function confirmInto(deps: Deps, ctx: ActionContext, next: EventRecord, change: EventChange, data: Record<string, unknown> = {}): void {
  const batch = mailsFor(deps, next, 'confirmation', next.parties, {
    confirmedSlot: slotViews(next.slots)[0]!,
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
    data: { ...contextData(ctx), recipients: next.parties, ...data },
  });
}

/** The automatic rule (SPEC §7): if `next` meets it, `change` also confirms it (confirmInto). */
export function withConfirmation(deps: Deps, ctx: ActionContext, next: EventRecord, change: EventChange): boolean {
  if (!confirmableSlot(next)) return false;
  confirmInto(deps, ctx, next, change);
  return true;
}
