// Who sent this answer, for which event (SPEC §5). The reply+/meet+ token in a recipient
// address authorizes; thread matching (In-Reply-To/References to our own mail, From equal to
// that mail's recipient) only when INBOUND_ALLOW_THREAD_MATCH is on.
import type { ParsedMail, AddressObject } from 'mailparser';
import { DomainError } from '../../domain/errors.js';
import { actorForToken } from '../../domain/token-actor.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import type { SlotView } from '../../domain/notification.js';
import { bareAddress, findTokenAddress, type TokenRole } from './address.js';

export type Identity =
  | { ok: true; actor: Extract<Actor, { kind: 'token' }>; eventId: number; role: TokenRole; mailList: SlotView[] | null }
  | { ok: false; reason: string };

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

export function referencedIds(parsed: ParsedMail): string[] {
  const refs = parsed.references ? (Array.isArray(parsed.references) ? parsed.references : [parsed.references]) : [];
  return [...new Set([parsed.inReplyTo ?? '', ...refs].flatMap((r) => r.match(/<[^<>\s]+>/g) ?? []))];
}

export async function identify(deps: Deps, parsed: ParsedMail, rcptTo: string[], mailDomain: string, allowThreadMatch: boolean): Promise<Identity> {
  const candidates = [...rcptTo, ...addresses(parsed.to), ...addresses(parsed.cc)];
  const delivered = parsed.headers.get('delivered-to');
  if (typeof delivered === 'string') candidates.push(delivered);
  const found = findTokenAddress(candidates, mailDomain);
  const threads = await deps.mail.eventsOfMessageIds(referencedIds(parsed));

  if (found) {
    let actor;
    try {
      actor = await actorForToken(deps, found.token);
    } catch (e) {
      if (e instanceof DomainError) return { ok: false, reason: e.code === 'token_expired' ? 'token expired' : 'unknown token' };
      throw e;
    }
    // A token must not be replayed into another event's thread.
    if (threads.length && !threads.some((t) => t.eventId === actor.eventId)) return { ok: false, reason: 'token for another event' };
    const mail = await deps.mail.mailForToken(deps.tokens.hash(found.token));
    return { ok: true, actor, eventId: actor.eventId, role: found.role, mailList: mail?.payload.slots ?? null };
  }

  if (!allowThreadMatch) return { ok: false, reason: 'no token address' };
  const from = bareAddress(parsed.from?.value[0]?.address ?? '');
  const match = threads.find((t) => t.recipient === from);
  if (!match || !from) return { ok: false, reason: 'no token address and no thread match' };
  return {
    ok: true,
    actor: { kind: 'token', eventId: match.eventId, email: from, fingerprint: 'thread-match', expiresAt: new Date(8.64e15) },
    eventId: match.eventId,
    role: 'reply',
    mailList: null,
  };
}
