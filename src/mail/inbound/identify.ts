// Who sent this answer, for which event (SPEC §5). Only the reply+/meet+ token in a recipient
// address authorizes: a From header and a Message-ID of our mail are both easy to forge
// (INBOUND_ALLOW_THREAD_MATCH, which accepted them, was removed for that reason).
import { DomainError } from '../../domain/errors.js';
import { actorForTokenHash } from '../../domain/token-actor.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import type { SlotView } from '../../domain/notification.js';
import { readSlotView } from '../../domain/stored-payload.js';
import { FOREIGN_STORED_TOKEN, STORED_TOKEN } from '../../security/token-scrub.js';
import { findTokenAddress, type TokenRole } from './address.js';
import { allRecipients } from './recipients.js';
import type { MailFacts } from './read-mail.js';

export type Identity =
  | { ok: true; actor: Extract<Actor, { kind: 'token' }>; eventId: number; role: TokenRole; mailList: SlotView[] | null }
  /** `cause`: no reply+/meet+ address at all, a token we do not know as an event's (a draft's, maybe: SPEC §10), or another refusal. */
  | { ok: false; reason: string; cause: 'no_token' | 'unknown_token' | 'refused' };

export async function identify(deps: Deps, mail: MailFacts, rcptTo: string[], mailDomain: string): Promise<Identity> {
  const found = findTokenAddress(allRecipients(mail, rcptTo), mailDomain);
  if (!found) return { ok: false, reason: 'no token address', cause: 'no_token' };
  // A stored message carries the token's stored form (its hash) instead of the token; one that
  // the sender wrote (its hash leaked) was neutralised on arrival and on reading (token-scrub.ts).
  if (FOREIGN_STORED_TOKEN.test(found.token)) return { ok: false, reason: 'unknown token (a stored form sent from outside)', cause: 'unknown_token' };
  const hash = STORED_TOKEN.exec(found.token)?.[1] ?? deps.tokens.hash(found.token);
  let actor;
  try {
    actor = await actorForTokenHash(deps, hash);
  } catch (e) {
    if (e instanceof DomainError) {
      return e.code === 'token_expired' ? { ok: false, reason: 'token expired', cause: 'refused' } : { ok: false, reason: 'unknown token', cause: 'unknown_token' };
    }
    throw e;
  }
  // A token must not be replayed into another event's thread.
  const threads = await deps.mail.eventsOfMessageIds(mail.references);
  if (threads.length && !threads.some((t) => t.eventId === actor.eventId)) return { ok: false, reason: 'token for another event', cause: 'refused' };
  const sent = await deps.mail.mailForToken(hash);
  // The row may predate numeric slots (stored-payload.ts).
  const mailList = sent ? sent.payload.slots.map(readSlotView) : null;
  return { ok: true, actor, eventId: actor.eventId, role: found.role, mailList };
}
