// The organizer's one-line reply `remind` (SPEC §10, §11): the next reminder now to whoever has
// not answered. Only with the organizer's own token; anyone else's is refused by the domain.
import { remindNow } from '../../domain/events/remind-now.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';

/** Whether the reply's first line is the command (case and surrounding blanks ignored). */
export function isRemindCommand(reply: string | null): boolean {
  const first = (reply ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '');
  return first !== undefined && first.toLowerCase() === 'remind';
}

/** Runs it; the outcome is written with the reminders (ctx.inboundId). */
export async function remindCommand(deps: Deps, ctx: ActionContext, eventId: number): Promise<string> {
  const { reminded } = await remindNow(deps, ctx, eventId);
  return reminded.length ? `reminded ${reminded.join(', ')}` : 'remind: nobody left to remind';
}
