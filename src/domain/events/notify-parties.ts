import { DomainError, validationError, type FieldErrors } from '../errors.js';
import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { normalizeEmail } from '../emails.js';
import { parseSlotList, sameSlotLists, slotToJson, type Slot } from '../slots.js';
import { mutateEvent } from './mutate-event.js';
import { mailsFor } from './mail-rows.js';
import { CONTROL_MESSAGE, hasControlChars } from '../text.js';
import type { Deps, EventChange, EventRecord, MailCountQueries, MailCounts } from '../ports.js';

export interface NotifyInput {
  parties?: unknown;
  slots?: unknown;
  sender?: unknown;
}

const MAX_SENDER = 100;
const HOUR_MS = 3_600_000;
/** After the per-event outbox cap: the worker drains the queue within about this long. */
const OUTBOX_RETRY_AFTER_SECONDS = 60;

/** Why notices to the other parties were not queued. */
export type NoticeSkip = 'unchanged' | 'party_hourly_cap' | 'event_outbox_cap';

/** The counts the notice caps need, read under the event's lock (see mutateEvent). */
export function noticeCounts(effector: string, since: Date): MailCountQueries<'notices' | 'pending'> {
  return { notices: { of: 'notices', effector, since }, pending: { of: 'pendingOutbox' } };
}

/**
 * Which cap, if any, forbids `recipients` more notices now: NOTIFY rounds by this party in the
 * last hour (NOTICES_PER_PARTY_PER_HOUR), unsent rows of the event (OUTBOX_PENDING_PER_EVENT).
 */
export function noticeSkip(deps: Deps, counts: MailCounts<'notices' | 'pending'>, recipients: number): NoticeSkip | null {
  if (counts.notices >= deps.config.noticesPerPartyPerHour) return 'party_hourly_cap';
  if (counts.pending + recipients > deps.config.outboxPendingPerEvent) return 'event_outbox_cap';
  return null;
}

/**
 * The NOTIFY part of a change: one mail, one fresh token and one log entry per recipient
 * (`data.recipient`, `data.sender`: the seed's clients read the log that way). `sender` is
 * what the caller called themselves: it is logged, but the mail's From name is always the
 * caller's own address, so no token holder can sign a mail as somebody else.
 */
export function notifyChange(deps: Deps, ctx: ActionContext, event: EventRecord, recipients: string[], sender: string | null): EventChange {
  const who = actorEmail(ctx.actor);
  const batch = mailsFor(deps, event, 'proposal', recipients, { senderName: who });
  const common = contextData(ctx);
  return {
    log: recipients.map((recipient) => ({
      occurrence: 'NOTIFY' as const,
      effector: who,
      slots: event.slots,
      data: { ...common, recipient, sender: sender ?? who },
    })),
    tokens: batch.tokens,
    outbox: batch.outbox,
  };
}

/**
 * POST notify: every listed party gets the current slots. `slots` must equal the current list,
 * so nobody announces a list that changed meanwhile (stale → `stale_slots` with the current one).
 * Over a notice cap (see noticeSkip) nothing is sent and `throttled` says when to try again:
 * the caller asked only for mail, so it is told rather than silently skipped.
 */
export async function notifyParties(deps: Deps, ctx: ActionContext, id: number, input: NotifyInput): Promise<EventRecord> {
  const errors: FieldErrors = {};
  let requested: string[] = [];
  if (!Array.isArray(input.parties) || input.parties.length === 0) errors.parties = ['At least one party is required.'];
  else if (input.parties.some((p) => typeof p !== 'string')) errors.parties = ['Must be a list of e-mail addresses.'];
  else requested = [...new Set((input.parties as string[]).map(normalizeEmail))];
  let slots: Slot[] = [];
  if (input.slots === undefined) errors.slots = ['Required: the slot list being announced.'];
  else {
    const r = parseSlotList(input.slots, deps.config.defaultTimeZone);
    if (r.ok) slots = r.slots;
    else errors.slots = r.errors;
  }
  if (input.sender !== undefined && input.sender !== null && (typeof input.sender !== 'string' || input.sender.length > MAX_SENDER)) {
    errors.sender = [`Must be a string of at most ${MAX_SENDER} characters.`];
  } else if (typeof input.sender === 'string' && hasControlChars(input.sender)) {
    errors.sender = [CONTROL_MESSAGE];
  }
  if (Object.keys(errors).length) throw validationError(errors);
  const sender = typeof input.sender === 'string' && input.sender.trim() ? input.sender.trim() : null;

  const who = actorEmail(ctx.actor);
  return mutateEvent(deps, ctx.actor, id, 'notify', (event, counts) => {
    if (event.status === 'cancelled') throw new DomainError('event_closed', 'The event is cancelled.', { status: event.status });
    const strangers = requested.filter((p) => !event.parties.includes(p));
    if (strangers.length) throw validationError({ parties: strangers.map((p) => `${p} is not a party of this event.`) });
    if (!sameSlotLists(slots, event.slots)) {
      throw new DomainError('stale_slots', 'The slot list changed; notify with the current slots.', {
        slots: event.slots.map(slotToJson),
      });
    }
    const skip = noticeSkip(deps, counts, requested.length);
    if (skip === 'party_hourly_cap') {
      throw new DomainError('throttled', `At most ${deps.config.noticesPerPartyPerHour} notifications per hour from one party; try again later.`, { retryAfter: HOUR_MS / 1000 });
    }
    if (skip) {
      throw new DomainError('throttled', 'Too many notifications of this event are waiting to be sent; try again later.', { retryAfter: OUTBOX_RETRY_AFTER_SECONDS });
    }
    return notifyChange(deps, ctx, event, requested, sender);
  }, noticeCounts(who, new Date(deps.clock.now().getTime() - HOUR_MS)));
}
