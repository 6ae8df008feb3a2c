// Who performs an operation, and through which door. Every operation takes one.
import type { InboundMark, UserRecord } from './ports.js';

/** `schedule`: the follow-up worker acting at a deadline (AUTO_BOOK_AT_DEADLINE, in the owner's name). */
export type Via = 'api' | 'web' | 'email' | 'cli' | 'schedule';

export type Actor =
  | { kind: 'user'; user: UserRecord }
  | { kind: 'token'; eventId: number; email: string; fingerprint: string; expiresAt: Date; scope?: 'rsvp' };

export interface ActionContext {
  actor: Actor;
  via: Via;
  /** Message-ID of the e-mail that caused the action (inbound door). */
  messageId?: string;
  /** Id of the stored inbound message that caused the action: its outcome is written with the change. */
  inboundId?: number;
}

export function actorEmail(actor: Actor): string {
  return actor.kind === 'user' ? actor.user.email : actor.email;
}

/** Log data common to every entry an action writes (never the token itself). */
export function contextData(ctx: ActionContext): Record<string, unknown> {
  const data: Record<string, unknown> = { via: ctx.via };
  if (ctx.actor.kind === 'token') data.token = ctx.actor.fingerprint;
  if (ctx.messageId) data.message_id = ctx.messageId;
  if (ctx.inboundId) data.inbound_id = ctx.inboundId;
  return data;
}

/** The outcome mark of the inbound message behind `ctx`, for the change it causes (none for other doors). */
export function inboundMark(ctx: ActionContext, status: InboundMark['status'], reason: string): { inbound?: InboundMark } {
  return ctx.inboundId ? { inbound: { id: ctx.inboundId, status, reason } } : {};
}
