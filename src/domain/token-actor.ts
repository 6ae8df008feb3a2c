import { DomainError } from './errors.js';
import type { Actor } from './actor.js';
import type { Deps } from './ports.js';

/**
 * The party an event token stands for (link, reply address, X-Event-Token...). Unknown or
 * malformed → not_authenticated; expired → token_expired with the expiry.
 */
export async function actorForToken(deps: Deps, token: string): Promise<Extract<Actor, { kind: 'token' }>> {
  const record = /^[0-9a-f]{40}$/i.test(token) ? await deps.eventTokens.find(deps.tokens.hash(token)) : null;
  if (!record) throw new DomainError('not_authenticated', 'Invalid event token.');
  if (record.expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw new DomainError('token_expired', 'Token expired', { expired_at: record.expiresAt.toISOString() });
  }
  return {
    kind: 'token', eventId: record.eventId, email: record.email, fingerprint: deps.tokens.fingerprint(token), expiresAt: record.expiresAt,
    ...(record.scope === 'rsvp' && { scope: 'rsvp' as const }),
  };
}
