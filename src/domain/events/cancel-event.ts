import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { mutateEvent } from './mutate-event.js';
import { mailsFor, slotViews } from './mail-rows.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';

/**
 * DELETE: the event becomes `cancelled`; its log is kept. If a calendar invite went out,
 * every party gets METHOD:CANCEL with a higher SEQUENCE. Cancelling twice changes nothing.
 */
export async function cancelEvent(deps: Deps, ctx: ActionContext, id: number): Promise<EventRecord> {
  return mutateEvent(deps, ctx.actor, id, 'cancel', (event) => {
    if (event.status === 'cancelled') return { log: [] };
    const change: EventChange = {
      status: 'cancelled',
      log: [{ occurrence: 'CANCEL', effector: actorEmail(ctx.actor), slots: event.slots, data: contextData(ctx) }],
    };
    if (event.invitedAt) {
      const sequence = event.inviteSequence + 1;
      const batch = mailsFor(deps, event, 'cancellation', event.parties, {
        sequence,
        ...(event.slots[0] && { confirmedSlot: slotViews(event.slots)[0] }),
      });
      Object.assign(change, { inviteSequence: sequence, tokens: batch.tokens, outbox: batch.outbox });
    }
    return change;
  });
}
