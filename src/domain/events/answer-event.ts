import { actorEmail, type ActionContext } from '../actor.js';
import { sameSlotLists, slotKey, slotToJson, type Slot } from '../slots.js';
import { DomainError } from '../errors.js';
import { mutateEvent } from './mutate-event.js';
import { updateChange } from './patch-event.js';
import { notifyChange } from './notify-parties.js';
import { mailsFor, slotViews } from './mail-rows.js';
import type { Deps, EventRecord } from '../ports.js';
import type { MailPayload } from '../notification.js';

export interface AnswerResult {
  event: EventRecord;
  confirmed: boolean;
}

export interface AnswerOptions {
  /** The list the party answered (the page they saw): if it changed meanwhile, nothing is applied. */
  expectedSlots?: Slot[];
  /** Queue a short acknowledgment to the answering party (e-mail door). */
  ack?: MailPayload['details'];
}

/**
 * A party's answer from the web page or a reply e-mail: the slot list becomes `keep`
 * (SPEC §5: as a PATCH by that party), then every other party is notified, all in one
 * atomic write. If the answer completes the confirmation rule, the invite replaces the notice.
 */
export async function answerEvent(deps: Deps, ctx: ActionContext, id: number, keep: Slot[], opts: AnswerOptions = {}): Promise<AnswerResult> {
  let confirmed = false;
  const event = await mutateEvent(deps, ctx.actor, id, 'patch', (current) => {
    // Checked inside the guarded write, so a change landing just before cannot slip through.
    if (opts.expectedSlots && !sameSlotLists(opts.expectedSlots, current.slots)) {
      throw new DomainError('stale_slots', 'The list of times changed meanwhile.', { slots: current.slots.map(slotToJson) });
    }
    const { change, next } = updateChange(deps, ctx, current, { slots: keep });
    confirmed = change.status === 'confirmed';
    const who = actorEmail(ctx.actor);
    if (!confirmed) {
      const others = next.parties.filter((p) => p !== who);
      if (others.length) {
        const notice = notifyChange(deps, ctx, next, others, who);
        change.log.push(...notice.log);
        change.tokens = [...(change.tokens ?? []), ...(notice.tokens ?? [])];
        change.outbox = [...(change.outbox ?? []), ...(notice.outbox ?? [])];
      }
    }
    if (opts.ack) {
      const ack = mailsFor(deps, next, 'ack', [who], {
        details: { kept: keep.map((s) => slotViews(current.slots).find((v) => v.key === slotKey(s))?.number ?? 0), ...opts.ack },
      });
      change.tokens = [...(change.tokens ?? []), ...ack.tokens];
      change.outbox = [...(change.outbox ?? []), ...ack.outbox];
    }
    return change;
  });
  return { event, confirmed };
}
