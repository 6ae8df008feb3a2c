// Pure checks of the address-valued settings (MAIL_FROM, MAIL_DOMAIN, listen hosts, URL hosts),
// so a bad value stops the start instead of failing every outbox row later (the ics library
// rejects an ORGANIZER that is not a bare address).
import { isIP } from 'node:net';
import { isEmail } from '../domain/emails.js';

export interface Mailbox { address: string; name: string }

// `Name <addr>`, `"Name, Inc." <addr>`, `<addr>`: nodemailer's usual forms with a display name.
const ANGLE_FORM = /^(.*?)<([^<>]*)>$/s;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `bot@example.org` or `Name <bot@example.org>` → address and name ('' when none); null if invalid. */
export function parseMailbox(value: string): Mailbox | null {
  const v = value.trim();
  const m = ANGLE_FORM.exec(v);
  const address = (m ? m[2]! : v).trim();
  if (!isEmail(address)) return null;
  let name = m ? m[1]!.trim() : '';
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  if (CONTROL.test(name) || /[<>]/.test(name)) return null;
  return { address, name };
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * A DNS name with at least two labels (reply+<token>@MAIL_DOMAIN must pass the same address
 * rule as every party's address). Internationalized names in their xn-- (ASCII) form.
 */
export function isDomainName(value: string): boolean {
  const labels = value.split('.');
  return value.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** An address to listen on: an IP address or a host name (`localhost`, `0.0.0.0`, `::`). */
export function isListenHost(value: string): boolean {
  return isIP(value) !== 0 || (value.length <= 253 && value.split('.').every((l) => LABEL.test(l)));
}

/** `localhost`, 127.0.0.0/8 or ::1 (a URL's hostname keeps IPv6 brackets; both forms accepted). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
