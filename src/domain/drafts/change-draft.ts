// Replies to a draft's summary that change the draft itself (SPEC §10): other times (a new
// summary), cancel, something unreadable (the summary again, with a note), and any reply after
// the draft expired (one notice, then nothing). Each is one write: the draft, a step, the mail
// and the inbound outcome together.
import { DomainError } from '../errors.js';
import { draftStep, draftToken, inboundOf, summaryMail, type DraftContext } from './summary-mail.js';
import type { DraftOutcome } from './start-draft.js';
import type { Deps } from '../ports.js';
import type { DraftRecord, UnreadableLine } from './types.js';
import type { DraftChange } from '../ports.js';
import type { Slot } from '../slots.js';

const HOUR_MS = 3_600_000;

/** Writes `change` on the draft as read; a draft changed meanwhile makes the mail wait and retry. */
export async function writeDraft(deps: Deps, draft: DraftRecord, change: DraftChange): Promise<DraftRecord> {
  const written = await deps.drafts.update(draft.id, draft.version, change);
  if (!written) throw new DomainError('busy', 'The draft changed meanwhile; try again.', { retryAfter: 1 });
  return written;
}

const done = (draft: DraftRecord, status: DraftOutcome['status'], reason: string): DraftOutcome =>
  ({ status, reason, draftId: draft.id, eventId: draft.eventId, recorded: true });

export function isExpired(deps: Deps, draft: DraftRecord): boolean {
  return draft.status === 'expired' || (draft.status === 'open' && draft.expiresAt.getTime() <= deps.clock.now().getTime());
}

/** Any reply to a draft past its DRAFT_TTL: one notice to the sender, the draft marked expired; later replies are not answered. */
export async function expireDraft(deps: Deps, ctx: DraftContext, draft: DraftRecord, asked: string): Promise<DraftOutcome> {
  const first = draft.status === 'open';
  const reason = first ? `draft ${draft.id} expired: ${asked} refused, sender told` : `draft ${draft.id} expired: ${asked} ignored`;
  await writeDraft(deps, draft, {
    set: first ? { status: 'expired' } : {},
    step: draftStep(deps, ctx, `${asked} after expiry`),
    ...(first && { outbox: [summaryMail(draft, null, 'expired', ctx)] }),
    ...inboundOf(ctx, first ? 'answered' : 'ignored', reason),
  });
  return done(draft, first ? 'answered' : 'ignored', reason);
}

/** A reply to a draft that is no longer open (cancelled, or sent and done): recorded, not answered. */
export async function closedDraft(deps: Deps, ctx: DraftContext, draft: DraftRecord, asked: string): Promise<DraftOutcome> {
  const reason = `draft ${draft.id} is ${draft.status}${draft.eventId ? ` (event ${draft.eventId})` : ''}: ${asked} ignored`;
  await writeDraft(deps, draft, { set: {}, step: draftStep(deps, ctx, `${asked} (draft ${draft.status})`), ...inboundOf(ctx, 'ignored', reason) });
  return done(draft, 'ignored', reason);
}

/** Other times: they replace the list; a new summary (with a new token) goes to the sender. */
export async function reviseDraft(deps: Deps, ctx: DraftContext, draft: DraftRecord, times: { slots: Slot[]; unreadable: UnreadableLine[]; zone: string; respondBy: Date | null }): Promise<DraftOutcome> {
  const token = draftToken(deps);
  const next: DraftRecord = { ...draft, ...times, tokenHash: token.hash };
  const reason = `draft ${draft.id} revised: ${times.slots.length} time(s), new summary to ${draft.sender}`;
  await writeDraft(deps, draft, {
    set: { slots: times.slots, unreadable: times.unreadable, zone: times.zone, respondBy: times.respondBy, tokenHash: token.hash },
    step: draftStep(deps, ctx, 'revise'),
    outbox: [summaryMail(next, token.sealed, times.slots.length ? 'summary' : 'no_times', ctx)],
    ...inboundOf(ctx, 'answered', reason),
  });
  return done(draft, 'answered', reason);
}

export async function cancelDraft(deps: Deps, ctx: DraftContext, draft: DraftRecord): Promise<DraftOutcome> {
  const reason = `draft ${draft.id} cancelled by its sender`;
  await writeDraft(deps, draft, {
    set: { status: 'cancelled' },
    step: draftStep(deps, ctx, 'cancel'),
    outbox: [summaryMail(draft, null, 'cancelled', ctx)],
    ...inboundOf(ctx, 'applied', reason),
  });
  return done(draft, 'applied', reason);
}

/**
 * A reply we could not read: the summary again with a note, at most `perHour` summaries an hour
 * to the sender (a confused client must not loop with us); past that, recorded only.
 */
export async function draftHelp(deps: Deps, ctx: DraftContext, draft: DraftRecord, perHour: number): Promise<DraftOutcome> {
  const recent = await deps.mail.countSince(draft.sender, 'draft-summary', new Date(deps.clock.now().getTime() - HOUR_MS));
  const answer = recent < perHour;
  const token = draftToken(deps);
  const reason = `draft ${draft.id}: reply not understood${answer ? ', summary sent again' : ' (rate-limited, not answered)'}`;
  await writeDraft(deps, draft, {
    set: answer ? { tokenHash: token.hash } : {},
    step: draftStep(deps, ctx, 'unreadable reply'),
    ...(answer && { outbox: [summaryMail({ ...draft, tokenHash: token.hash }, token.sealed, 'help', ctx)] }),
    ...inboundOf(ctx, answer ? 'answered' : 'ignored', reason),
  });
  return done(draft, answer ? 'answered' : 'ignored', reason);
}
