import type { ActionContext } from '../actor.js';
import { requireUser } from '../access.js';
import type { Deps, EventRecord } from '../ports.js';

/** Events where the user is a party or the owner; staff see all. Tokens cannot list. */
export async function listEvents(deps: Deps, ctx: ActionContext): Promise<EventRecord[]> {
  const { user } = requireUser(ctx.actor);
  return deps.events.listVisibleTo(user.id, user.isStaff);
}
