// Domain error code → HTTP status, one table for every HTTP answer: the JSON API
// (error-handler.ts) and the web page (page/web-page.ts) answer the same error alike.
import type { FastifyReply } from 'fastify';
import type { DomainError, DomainErrorCode } from '../domain/errors.js';

export const STATUS_OF_CODE: Readonly<Record<DomainErrorCode, number>> = {
  validation: 400,
  not_authenticated: 401,
  forbidden: 403,
  not_organizer: 403,
  token_wrong_event: 403,
  event_not_found: 404,
  token_expired: 400,
  stale_slots: 409,
  slot_not_listed: 409,
  event_closed: 409,
  already_applied: 409,
  busy: 503,
  throttled: 429,
  user_exists: 409,
};

/** Sets the status for `err`, and Retry-After when the error says when to come back (throttled, busy). */
export function replyStatusFor(reply: FastifyReply, err: DomainError): FastifyReply {
  if ((err.code === 'throttled' || err.code === 'busy') && typeof err.details.retryAfter === 'number') {
    reply.header('Retry-After', String(err.details.retryAfter));
  }
  return reply.code(STATUS_OF_CODE[err.code]);
}
