import { actorEmail, contextData, inboundMark, type ActionContext } from '../actor.js';
import { mutateEvent } from './mutate-event.js';
import { stripControlChars } from '../text.js';
import type { Deps } from '../ports.js';

export interface Rsvp {
  partstat: string;
  attendee: string;
  uid: string;
  sequence: number;
  comment?: string;
}

/**
 * A calendar client's iMIP REPLY to our invite (SPEC §5): recorded in the log, where the
 * owner sees it. It does not change slots: the invite is only sent once a slot is agreed.
 */
export async function recordRsvp(deps: Deps, ctx: ActionContext, id: number, rsvp: Rsvp): Promise<void> {
  await mutateEvent(deps, ctx.actor, id, 'rsvp', (event) => ({
    ...inboundMark(ctx, 'applied', `RSVP ${rsvp.partstat}`),
    log: [{
      occurrence: 'RSVP',
      effector: actorEmail(ctx.actor),
      slots: event.slots,
      data: {
        ...contextData(ctx),
        partstat: rsvp.partstat,
        attendee: rsvp.attendee,
        sequence: rsvp.sequence,
        stale: rsvp.sequence < event.inviteSequence,
        // Written by the attendee, arriving by mail (nothing to refuse it with): controls dropped.
        ...(rsvp.comment && { comment: stripControlChars(rsvp.comment).slice(0, 500) }),
      },
    }],
  }));
}
