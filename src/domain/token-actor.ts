import { DomainError } from './errors.js';
import type { Actor } from './actor.js';
import type { Deps } from './ports.js';

/**
 * The party an event token stands for (link, reply address, X-Event-Token...). Unknown or
 * malformed → not_authenticated; expired → token_expired with the expiry.
 */
export async function actorForToken(deps: Deps, token: string): Promise<Extract<Actor, { kind: 'token' }>> {
  if (!/^[0-9a-f]{40}$/i.test(token)) throw new DomainError('not_authenticated', 'Invalid event token.');
  return actorForTokenHash(deps, deps.tokens.hash(token));
}

/** The same, for a token known only by its hash (a stored inbound mail keeps no token in clear). */
export async function actorForTokenHash(deps: Deps, hash: string): Promise<Extract<Actor, { kind: 'token' }>> {
  const record = await deps.eventTokens.find(hash);
  if (!record) throw new DomainError('not_authenticated', 'Invalid event token.');
  if (record.expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw new DomainError('token_expired', 'Token expired', { expired_at: record.expiresAt.toISOString() });
  }
  return {
    kind: 'token', eventId: record.eventId, email: record.email, fingerprint: deps.tokens.fingerprintOfHash(hash), expiresAt: record.expiresAt,
    ...(record.scope === 'rsvp' && { scope: 'rsvp' as const }),
  };
}
