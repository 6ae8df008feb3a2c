import type { ActionContext } from '../actor.js';
import { requireUser } from '../access.js';
import { cursorScope, readPage, toPage, type Page } from '../paging.js';
import type { Deps, EventRecord } from '../ports.js';

/**
 * One page of the events where the user is a party or the owner (staff: all), by id; `query`
 * is `{limit?, cursor?}` as sent (parsed after authentication: no credentials is 401 first).
 * Tokens cannot list.
 */
export async function listEvents(deps: Deps, ctx: ActionContext, query: unknown): Promise<Page<EventRecord>> {
  const { user } = requireUser(ctx.actor);
  const page = readPage(query, deps.cursors, cursorScope.events);
  return toPage(await deps.events.listVisibleTo(user.id, user.isStaff, { ...page, limit: page.limit + 1 }), page.limit, deps.cursors, cursorScope.events);
}
