// One stored message read for dispatch: its facts (read-mail.ts) and, when it is addressed to
// new@ (SPEC §10), its reading as a draft proposal (draft-mail.ts: the times, by chrono-node).
// The one reading both ways: on a parse thread (parse-thread.ts) and, with
// INBOUND_PARSE_THREADS=0, on the main thread (mail-reader.ts). A thread reads no wall clock:
// the job brings "now" and the settings from the main thread. Replies pay one address check.
import type { DraftConfig, DraftReading } from './draft-mail.js';
import { readMail, type MailFacts } from './read-mail.js';
import { findTokenAddress } from './address.js';
import { allRecipients, isAddressedToNew } from './recipients.js';

// Loaded by the first mail to new@: a thread that reads only replies never holds chrono-node and
// the time reader (~10 MB of RSS).
let draftMail: Promise<typeof import('./draft-mail.js')> | null = null;

export interface ParseJob {
  raw: Uint8Array;
  /** SMTP MAIL FROM ('' for <>), or null when unknown (IMAP). */
  mailFrom: string | null;
  /** Envelope recipients (none from IMAP): with To, Cc and Delivered-To they tell mail to new@. */
  rcptTo: string[];
  /** How a mail to new@ is read, and the main thread's clock (now) when the job was sent. */
  drafts: DraftConfig;
}

export interface InboundReading {
  /** Null when the message cannot be parsed. */
  mail: MailFacts | null;
  /** The mail read as a draft proposal when it is addressed to new@ (whoever wrote it); else null. */
  proposal: DraftReading | null;
}

/** Only mail to new@ without a reply+/meet+ address starts a draft (dispatch.ts); no other mail is read as one. */
function startsDraft(mail: MailFacts, job: ParseJob): boolean {
  const { mailDomain, newLocal } = job.drafts;
  return isAddressedToNew(mail, job.rcptTo, mailDomain, newLocal) && !findTokenAddress(allRecipients(mail, job.rcptTo), mailDomain);
}

export async function readInbound(job: ParseJob): Promise<InboundReading> {
  const mail = await readMail(job.raw, job.mailFrom);
  if (mail === null || !startsDraft(mail, job)) return { mail, proposal: null };
  // A failed load is not kept: the next mail to new@ tries again.
  const { readDraft } = await (draftMail ??= import('./draft-mail.js').catch((err: unknown) => {
    draftMail = null;
    throw err;
  }));
  return { mail, proposal: readDraft(mail, job.drafts) };
}
