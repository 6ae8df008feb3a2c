import { loadEvent } from './load-event.js';
import type { ActionContext } from '../actor.js';
import type { Deps, EventRecord, LogEntryRecord } from '../ports.js';

/** The event's dispatch log, oldest first. Reading the log is not itself logged. */
export async function getLog(deps: Deps, ctx: ActionContext, id: number): Promise<{ event: EventRecord; entries: LogEntryRecord[] }> {
  const event = await loadEvent(deps, ctx.actor, id, 'log');
  return { event, entries: await deps.log.list(event.id) };
}
