import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { loadEvent } from './load-event.js';
import type { Deps, EventRecord } from '../ports.js';

/** Returns the event and logs a VIEW (token fingerprint only, never the token). */
export async function viewEvent(deps: Deps, ctx: ActionContext, id: number): Promise<EventRecord> {
  const event = await loadEvent(deps, ctx.actor, id, 'view');
  await deps.log.append(event.id, {
    occurrence: 'VIEW',
    effector: actorEmail(ctx.actor),
    slots: event.slots,
    data: contextData(ctx),
  });
  return event;
}
