// A mail to new@ becomes a draft and one summary to its sender (SPEC §10). Nothing reaches the
// parties here: a forged From can at most make us send one summary to that address's owner.
import { pronounceableWord } from '../title.js';
import { draftStep, draftToken, inboundOf, summaryMail, type DraftContext } from './summary-mail.js';
import type { Deps } from '../ports.js';
import type { DraftReading } from './types.js';

/** ORGANIZE_PER_DAY counts the drafts a sender started within this window (retention keeps them that long). */
export const ORGANIZE_CAP_WINDOW_MS = 86_400_000;

export interface DraftOutcome {
  status: 'applied' | 'answered' | 'ignored' | 'quarantined';
  reason: string;
  draftId: number | null;
  eventId?: number | null;
  /** The outcome was written with the change (nothing left for the door to record). */
  recorded: boolean;
}

export const unrecorded = (status: DraftOutcome['status'], reason: string, draftId: number | null = null): DraftOutcome =>
  ({ status, reason, draftId, recorded: false });

/**
 * ORGANIZE_BY_MAIL decides who may start one: `off` nobody, `users` active users only (anyone
 * else is quarantined without an answer: no backscatter), `anyone` any sender. At most
 * ORGANIZE_PER_DAY drafts per sender per day, counted in the write that stores the draft.
 */
export async function startDraft(deps: Deps, ctx: DraftContext, reading: DraftReading): Promise<DraftOutcome> {
  const { organizeByMail, organizePerDay, draftTtlMs } = deps.config;
  if (organizeByMail === 'off') return unrecorded('quarantined', 'organizing by e-mail is off (ORGANIZE_BY_MAIL=off)');
  if (organizeByMail === 'users') {
    const user = await deps.users.findByEmail(reading.sender);
    if (!user?.isActive) return unrecorded('quarantined', `draft from ${reading.sender}, not an active user (ORGANIZE_BY_MAIL=users)`);
  }
  const now = deps.clock.now();
  const token = draftToken(deps);
  const title = reading.title || pronounceableWord(deps.random);
  const reason = `draft started: summary to ${reading.sender}`;
  const draft = await deps.drafts.create({
    sender: reading.sender, title, parties: reading.parties, slots: reading.slots, unreadable: reading.unreadable,
    zone: reading.zone, respondBy: reading.respondBy, tokenHash: token.hash, expiresAt: new Date(now.getTime() + draftTtlMs), steps: [draftStep(deps, ctx, 'start')],
  }, { since: new Date(now.getTime() - ORGANIZE_CAP_WINDOW_MS), max: organizePerDay },
  (stored) => [summaryMail(stored, token.sealed, stored.slots.length ? 'summary' : 'no_times', ctx)],
  inboundOf(ctx, 'answered', reason).inbound);
  if (!draft) return unrecorded('quarantined', `${reading.sender} reached ORGANIZE_PER_DAY (${organizePerDay} drafts a day): no answer`);
  return { status: 'answered', reason: `draft ${draft.id} started: summary to ${reading.sender}`, draftId: draft.id, recorded: Boolean(ctx.inboundId) };
}
