import { DomainError } from '../errors.js';
import { type ActionContext, contextData } from '../actor.js';
import { requireUser } from '../access.js';
import { pronounceableWord } from '../title.js';
import { parseInput } from '../parse-input.js';
import { eventInputs } from './inputs.js';
import { requireFutureRespondBy, respondByText } from './respond-by.js';
import type { Deps, DraftClaim, EventRecord, UserRecord } from '../ports.js';

/**
 * Creates an event owned by the signed-in user (event tokens cannot create). Parties that
 * are not users become inactive users. Logs UPDATE {opened: "created"}. Sends no mail:
 * notifying is a separate, explicit operation (as in the seed).
 */
export async function createEvent(deps: Deps, ctx: ActionContext, input: unknown): Promise<EventRecord> {
  const { user } = requireUser(ctx.actor);
  if (!user.isActive) throw new DomainError('forbidden', 'Inactive users cannot create events.');
  return openEvent(deps, ctx, user, input);
}

/**
 * The creation itself, for an owner already allowed to create: the API's signed-in user, or the
 * sender of a confirmed draft (SPEC §10, who may be an inactive user under ORGANIZE_BY_MAIL=anyone).
 * `draft`: the draft is marked sent in the same write, and its steps go into the created entry.
 */
export async function openEvent(deps: Deps, ctx: ActionContext, owner: UserRecord, input: unknown, draft?: DraftClaim): Promise<EventRecord> {
  const { title, parties, slots, respond_by: respondBy = null } = parseInput(eventInputs(deps.config.defaultTimeZone).create, input);
  requireFutureRespondBy(respondBy, deps.clock.now());

  const ids = await deps.users.ensureUsers(parties);
  return deps.events.create({
    title: title || pronounceableWord(deps.random),
    ownerId: owner.id,
    parties,
    partyUserIds: parties.map((p) => ids.get(p)!),
    slots,
    respondBy,
    log: {
      occurrence: 'UPDATE',
      effector: owner.email,
      slots,
      data: { ...contextData(ctx), opened: 'created', ...(respondBy && { respond_by: respondByText(respondBy) }), ...(draft && { draft: draft.id, draft_steps: draft.steps }) },
    },
    ...(draft && { draft }),
  });
}
