// Which outbox row a delivery report is about (SPEC §5, VERP): the bounce+<row>-<key> address it
// was delivered to, nothing in the report's content. Over SMTP only the envelope recipients
// count (what the reporting MTA sent to); over IMAP, where there is no envelope, the
// Delivered-To, To and Cc headers stand in for them. The key is unguessable, so a forged
// report cannot name a row; the row's own state decides the rest (outbox-store markBounced).
import { bareAddress } from './address.js';
import type { MailFacts } from './read-mail.js';

export function bouncedRow(mail: MailFacts, rcptTo: string[], rowOf: (address: string) => number | null): number | null {
  const candidates = rcptTo.length ? rcptTo : [...(mail.deliveredTo !== null ? [mail.deliveredTo] : []), ...mail.to, ...mail.cc];
  for (const candidate of candidates) {
    const address = bareAddress(candidate);
    const row = address ? rowOf(address) : null;
    if (row !== null) return row;
  }
  return null;
}
