// RenderInput + ids → nodemailer message options (SPEC §4, MAIL-NOTES §2–3). Pure: the same
// outbox row always yields the same options, Message-ID and Date included.
import type { SendMailOptions as Options } from 'nodemailer';
import { buildCancelIcs, buildDeclineCounterIcs, buildProposalIcs, buildRequestIcs } from './ics.js';
import type { RenderInput } from './payload.js';
import { renderMail } from './render.js';
import { parseInstant } from './instant.js';
import { oneLine } from './view-model.js';

export interface MessageIds {
  /** Our Message-ID for this mail, e.g. from messageIdFor(outboxId, domain). */
  messageId: string;
  /** Earlier Message-IDs of the event's thread, oldest first. */
  references: string[];
  /** The mail being answered (ack/help); defaults to input.details.inReplyTo. */
  inReplyTo?: string;
}

const SAFE_ID = /^[A-Za-z0-9._-]+$/;

/**
 * Stable Message-ID per outbox row: if the worker crashes between SMTP acceptance and its
 * commit, the retry carries the same Message-ID, so receivers (and our own inbound
 * deduplication) see one message, and threading still points at what we recorded.
 */
export function messageIdFor(outboxId: number | string, mailDomain: string): string {
  const id = String(outboxId);
  if (!SAFE_ID.test(id)) throw new TypeError(`outbox id not usable in a Message-ID: ${id}`);
  if (!/^[A-Za-z0-9.-]+$/.test(mailDomain)) throw new TypeError(`bad mail domain: ${mailDomain}`);
  return `<calndro.out.${id}@${mailDomain}>`;
}

/**
 * The iCalendar part per kind. PUBLISH goes as a plain attachment: it has no RSVP semantics.
 * REQUEST/CANCEL use nodemailer's icalEvent, which builds the CalConnect-tested layout
 * (text/calendar; method=… alternative + invite.ics attachment) that makes clients show
 * Accept/Decline or remove the event. Ack/help carry none.
 */
function calendarParts(input: RenderInput): Pick<Options, 'attachments' | 'icalEvent'> {
  switch (input.kind) {
    case 'proposal':
      if (input.slots.length === 0) return {};
      return {
        attachments: [
          {
            filename: 'invite.ics',
            content: buildProposalIcs(input),
            contentType: 'text/calendar; method=PUBLISH; charset=utf-8',
          },
        ],
      };
    case 'confirmation':
      return { icalEvent: { method: 'REQUEST', filename: 'invite.ics', content: buildRequestIcs(input) } };
    case 'cancellation':
      // SPEC §3 DELETE: a CANCEL only when an invite (REQUEST) went out, i.e. a slot was chosen.
      if (!input.confirmedSlot) return {};
      return { icalEvent: { method: 'CANCEL', filename: 'invite.ics', content: buildCancelIcs(input) } };
    case 'decline-counter':
      return { icalEvent: { method: 'DECLINECOUNTER', filename: 'invite.ics', content: buildDeclineCounterIcs(input) } };
    case 'ack':
    case 'help':
    case 'suggestion':
    case 'suggested':
    case 'draft-summary':
    case 'organizer-help':
    case 'reminder':
    case 'summary':
      return {};
  }
}

export function buildMessage(input: RenderInput, ids: MessageIds): Options {
  const { subject, text, html } = renderMail(input);
  const botName = oneLine(input.botName);
  const inReplyTo = ids.inReplyTo ?? input.details?.inReplyTo;
  // RFC 5322 §3.6.4: References should end with the parent's Message-ID.
  const references = inReplyTo && !ids.references.includes(inReplyTo) ? [...ids.references, inReplyTo] : ids.references;
  const direct = input.kind === 'ack' || input.kind === 'help' || input.kind === 'draft-summary' || input.kind === 'organizer-help' || input.kind === 'suggested';
  return {
    from: {
      name: input.senderName ? `${oneLine(input.senderName)} via ${botName}` : botName,
      address: input.botAddress,
    },
    to: input.recipient,
    ...(input.replyAddress ? { replyTo: input.replyAddress } : {}),
    subject,
    text,
    html,
    // Explicit: spares nodemailer scanning every body to choose (a visible cost in bench:outbound).
    textEncoding: 'quoted-printable',
    messageId: ids.messageId,
    ...(references.length > 0 ? { references } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    // The render time, not the send time: keeps a retried row byte-identical.
    date: new Date(parseInstant(input.now)),
    headers: {
      // RFC 3834: auto-replied for direct answers to a person's mail, auto-generated otherwise;
      // either tells well-behaved responders (and our own inbound door) not to answer.
      'Auto-Submitted': direct ? 'auto-replied' : 'auto-generated',
      // Asks Exchange/Outlook not to send out-of-office replies to the bot.
      'X-Auto-Response-Suppress': 'All',
      ...(input.draft ? { 'X-Calndro-Draft': String(input.draft.id) } : { 'X-Calndro-Event': String(input.eventId) }),
    },
    ...calendarParts(input),
  };
}
