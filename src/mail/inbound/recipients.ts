// The local parts the bot answers at (SPEC §5): anything else is refused at RCPT with 550, so
// the door never stores mail nobody will read. Shapes only: whether a token or bounce key is
// valid is decided later, from storage, like every other authorization.
import { BOUNCE_LOCAL } from '../../security/bounce-keys.js';
import { bareAddress } from './address.js';
import type { MailFacts } from './read-mail.js';

const TOKEN_LOCAL = /^(?:reply|meet)\+[0-9a-f]{40}$/i;
/** SPEC §10: drafts of new proposals go to new@MAIL_DOMAIN (the default of MAIL_NEW_LOCAL). */
export const NEW_LOCAL = 'new';

/** Why `address` is not one of ours, or null when the listener should accept it. `newLocal`: MAIL_NEW_LOCAL. */
export function refuseRecipient(address: string, mailDomain: string, newLocal = NEW_LOCAL): string | null {
  const at = address.lastIndexOf('@');
  const domain = mailDomain.toLowerCase();
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) return `we only accept mail for @${domain}`;
  const local = address.slice(0, at);
  if (TOKEN_LOCAL.test(local) || BOUNCE_LOCAL.test(local) || local.toLowerCase() === newLocal.toLowerCase()) return null;
  return `no such mailbox: at ${domain} only reply+<token>@, meet+<token>@, bounce+<key>@ and ${newLocal}@ receive mail`;
}

/** Envelope recipients first, then To, Cc and Delivered-To (where IMAP mail has no envelope). */
export function allRecipients(mail: Pick<MailFacts, 'to' | 'cc' | 'deliveredTo'>, rcptTo: string[]): string[] {
  return [...rcptTo, ...mail.to, ...mail.cc, ...(mail.deliveredTo !== null ? [mail.deliveredTo] : [])];
}

/** Whether <newLocal>@mailDomain is among the envelope recipients, To, Cc or Delivered-To. */
export function isAddressedToNew(mail: Pick<MailFacts, 'to' | 'cc' | 'deliveredTo'>, rcptTo: string[], mailDomain: string, newLocal = NEW_LOCAL): boolean {
  const target = `${newLocal}@${mailDomain}`.toLowerCase();
  return allRecipients(mail, rcptTo).some((r) => bareAddress(r) === target);
}
