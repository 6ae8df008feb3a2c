// CSRF token of the web form: an HMAC of (event id, who is answering) under a key derived from
// SECRET_KEY. A cross-site form cannot read it (same-origin policy, CSP frame-ancestors), so a
// forged POST fails even when the browser would attach credentials (Basic) on its own. It is
// stateless: no session store, and it dies with the event token it is bound to.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../domain/actor.js';

export interface FormTokens {
  issue(eventId: number, actor: Actor): string;
  verify(eventId: number, actor: Actor, presented: unknown): boolean;
}

/** Binds the form to the credential: the token's fingerprint, or the user and password version. */
function subjectOf(actor: Actor): string {
  return actor.kind === 'token' ? `t:${actor.fingerprint}` : `u:${actor.user.id}:${actor.user.credentialVersion}`;
}

export function createFormTokens(secretKey: string): FormTokens {
  const key = Buffer.from(hkdfSync('sha256', secretKey, 'calndro', 'web-form-csrf', 32));
  const mac = (eventId: number, actor: Actor) =>
    createHmac('sha256', key).update(`${eventId}\n${subjectOf(actor)}`).digest();
  return {
    issue: (eventId, actor) => mac(eventId, actor).toString('base64url'),
    verify(eventId, actor, presented) {
      if (typeof presented !== 'string' || presented.length > 100) return false;
      const expected = mac(eventId, actor);
      const given = Buffer.from(presented, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
