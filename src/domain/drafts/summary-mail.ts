// The mail about a draft, to its sender only (SPEC §10): what was understood, in their zone and
// in UTC, from a reply+<token> address that acts on this draft alone. Each summary carries a
// fresh token (the stored hash is replaced), so only the latest summary can send the draft.
import { slotViews } from '../events/mail-rows.js';
import type { Deps, OutboxInput } from '../ports.js';
import type { DraftNotice, MailPayload } from '../notification.js';
import type { DraftRecord, DraftStep } from './types.js';

export interface DraftContext {
  messageId: string | null;
  /** The stored inbound message: its outcome is written with the change it causes. */
  inboundId?: number;
  /** Subject of the mail answered (threading of the reply). */
  subject: string;
}

export function draftStep(deps: Deps, ctx: DraftContext, what: string): DraftStep {
  return { what, messageId: ctx.messageId, at: deps.clock.now().toISOString() };
}

export function inboundOf(ctx: DraftContext, status: 'applied' | 'answered' | 'ignored', reason: string) {
  return ctx.inboundId ? { inbound: { id: ctx.inboundId, status, reason } } : {};
}

/** A fresh token for the next summary: its hash goes to the draft, the token (sealed) to the mail. */
export function draftToken(deps: Deps): { hash: string; sealed: string } {
  const token = deps.tokens.generate();
  return { hash: deps.tokens.hash(token), sealed: deps.tokens.seal(token) };
}

export function summaryMail(draft: DraftRecord, sealedToken: string | null, notice: DraftNotice, ctx: DraftContext): OutboxInput {
  const payload: MailPayload = {
    kind: 'draft-summary',
    eventId: 0,
    title: draft.title,
    recipient: draft.sender,
    senderName: null,
    parties: draft.parties,
    slots: slotViews(draft.slots),
    ...(sealedToken && { sealedToken, tokenExpiresAt: draft.expiresAt.toISOString() }),
    details: { ...(ctx.messageId && { inReplyTo: ctx.messageId }), subject: ctx.subject },
    draft: { id: draft.id, notice, zone: draft.zone, unreadable: draft.unreadable, expiresAt: draft.expiresAt.toISOString(), ...(draft.respondBy && { respondBy: draft.respondBy.toISOString() }) },
  };
  return { eventId: null, kind: 'draft-summary', recipient: draft.sender, payload };
}
