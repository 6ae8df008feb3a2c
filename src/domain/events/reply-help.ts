import { actorEmail, contextData, inboundMark, type ActionContext } from '../actor.js';
import { mutateEvent } from './mutate-event.js';
import { mailsFor } from './mail-rows.js';
import type { Deps, InboundMark } from '../ports.js';
import type { MailPayload } from '../notification.js';

const HOUR_MS = 3_600_000;

/** How a reply that got (or, past the cap, did not get) a help answer is recorded. */
export function helpOutcome(problem: string, sent: boolean): Pick<InboundMark, 'status' | 'reason'> {
  return sent ? { status: 'answered', reason: problem } : { status: 'ignored', reason: `${problem} (help reply rate-limited)` };
}

/**
 * An e-mail answer we could not apply: queues one helpful reply with the current numbered
 * list, unless the party already got `perHour` of them in the last hour (a loop or a
 * confused client must not make us send mail without end). Logs REPLY either way.
 * Returns whether a reply was queued. The count is read and the reply written under the
 * event's lock, so concurrent replies to one event cannot both pass the cap.
 */
export async function replyWithHelp(
  deps: Deps,
  ctx: ActionContext,
  id: number,
  details: NonNullable<MailPayload['details']>,
  perHour: number,
): Promise<boolean> {
  const who = actorEmail(ctx.actor);
  const since = new Date(deps.clock.now().getTime() - HOUR_MS);
  let send = false;
  // Built on the event as it is when written, so the reply shows the current numbered list.
  await mutateEvent(deps, ctx.actor, id, 'view', (event, counts) => {
    send = counts.recent < perHour;
    const batch = send ? mailsFor(deps, event, 'help', [who], { details }) : { tokens: [], outbox: [] };
    const { status, reason } = helpOutcome(details.problem ?? '', send);
    return {
      ...inboundMark(ctx, status, reason),
      log: [{ occurrence: 'REPLY', effector: who, slots: event.slots,
        data: { ...contextData(ctx), understood: false, problem: details.problem, answered: send } }],
      tokens: batch.tokens,
      outbox: batch.outbox,
    };
  }, { recent: { of: 'mailsTo', recipient: who, kind: 'help', since, anyEvent: true } });
  return send;
}
