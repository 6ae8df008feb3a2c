import { DomainError, validationError, type FieldErrors } from '../errors.js';
import { type ActionContext, contextData } from '../actor.js';
import { requireUser } from '../access.js';
import { isEmail, normalizeEmail } from '../emails.js';
import { parseSlotList } from '../slots.js';
import { pronounceableWord } from '../title.js';
import { CONTROL_MESSAGE, hasControlChars } from '../text.js';
import type { Deps, EventRecord } from '../ports.js';

export const MAX_TITLE = 200;
export const MAX_PARTIES = 100;

export interface CreateEventInput {
  title?: unknown;
  parties?: unknown;
  slots?: unknown;
}

/** DRF's message for a missing required field: the seed's clients read it (SPEC §3). */
export const REQUIRED = 'This field is required.';

/** Validates and normalizes party addresses; pushes messages into `errors.parties`. */
export function parseParties(input: unknown, errors: FieldErrors): string[] {
  if (input === undefined) {
    errors.parties = [REQUIRED];
    return [];
  }
  if (!Array.isArray(input) || input.length === 0) {
    errors.parties = ['At least one party e-mail address is required.'];
    return [];
  }
  const bad = input.filter((p) => typeof p !== 'string' || !isEmail(p));
  if (bad.length) {
    errors.parties = bad.map((p) => `${JSON.stringify(p)} is not a valid e-mail address.`);
    return [];
  }
  const parties = [...new Set((input as string[]).map(normalizeEmail))];
  if (parties.length > MAX_PARTIES) errors.parties = [`At most ${MAX_PARTIES} parties.`];
  return parties;
}

export function parseTitle(input: unknown, errors: FieldErrors): string | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'string') {
    errors.title = ['Must be a string.'];
    return undefined;
  }
  const title = input.trim();
  // A title is one line: tabs and line breaks are refused with the other controls.
  if (hasControlChars(title)) errors.title = [CONTROL_MESSAGE];
  else if (title.length > MAX_TITLE) errors.title = [`At most ${MAX_TITLE} characters.`];
  return title;
}

/**
 * Creates an event owned by the signed-in user (event tokens cannot create). Parties that
 * are not users become inactive users. Logs UPDATE {opened: "created"}. Sends no mail:
 * notifying is a separate, explicit operation (as in the seed).
 */
export async function createEvent(deps: Deps, ctx: ActionContext, input: CreateEventInput): Promise<EventRecord> {
  const { user } = requireUser(ctx.actor);
  if (!user.isActive) throw new DomainError('forbidden', 'Inactive users cannot create events.');
  const errors: FieldErrors = {};
  const parties = parseParties(input.parties, errors);
  const title = parseTitle(input.title, errors);
  // Required as in the seed (an empty list is fine: slots may be added by PATCH).
  const slotResult = input.slots === undefined
    ? { ok: false as const, errors: [REQUIRED] }
    : parseSlotList(input.slots, deps.config.defaultTimeZone);
  if (!slotResult.ok) errors.slots = slotResult.errors;
  if (Object.keys(errors).length || !slotResult.ok) throw validationError(errors);

  const ids = await deps.users.ensureUsers(parties);
  return deps.events.create({
    title: title || pronounceableWord(deps.random),
    ownerId: user.id,
    parties,
    partyUserIds: parties.map((p) => ids.get(p)!),
    slots: slotResult.slots,
    log: {
      occurrence: 'UPDATE',
      effector: user.email,
      slots: slotResult.slots,
      data: { ...contextData(ctx), opened: 'created' },
    },
  });
}
