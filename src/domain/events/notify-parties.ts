import { DomainError, validationError } from '../errors.js';
import { actorEmail, contextData, type ActionContext } from '../actor.js';
import { sameSlotLists, slotToJson } from '../slots.js';
import { parseInput } from '../parse-input.js';
import { eventInputs } from './inputs.js';
import { mutateEvent } from './mutate-event.js';
import { mailsFor } from './mail-rows.js';
import type { Deps, EventChange, EventRecord, MailCountQueries, MailCounts } from '../ports.js';

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
export async function notifyParties(deps: Deps, ctx: ActionContext, id: number, input: unknown): Promise<{ event: EventRecord; recipients: string[] }> {
  const { parties: requested, slots, sender } = parseInput(eventInputs(deps.config.defaultTimeZone).notify, input);
  const who = actorEmail(ctx.actor);
  const notified = await mutateEvent(deps, ctx.actor, id, 'notify', (event, counts) => {
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
  return { event: notified, recipients: requested };
}
