// One stored inbound message → its effect (SPEC §5): its facts (read-mail.ts: parse → classify
// → extract, done on a parse thread) → identify → interpret → the same domain operations as
// REST. Returns the outcome; never throws for anything a sender can put in a message.
import { DomainError } from '../../domain/errors.js';
import { answerEvent, answerSummary } from '../../domain/events/answer-event.js';
import { helpOutcome, replyWithHelp } from '../../domain/events/reply-help.js';
import { recordRsvp } from '../../domain/events/record-rsvp.js';
import { bookSlot } from '../../domain/events/book-slot.js';
import { loadEvent } from '../../domain/events/load-event.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import type { InboundStatus } from './ports.js';
import type { Classification } from './classify.js';
import { identify, type Identity } from './identify.js';

type Identified = Extract<Identity, { ok: true }>;
import { bouncedRow } from './bounce-target.js';
import { parseSelection } from '../../domain/selection.js';
import { bareAddress } from './address.js';
import { problemFor } from './reply-error.js';
import { BOOK_USAGE, readBookCommand } from './organizer-commands.js';
import type { MailFacts } from './read-mail.js';
import { isRemindCommand, remindCommand } from './remind-command.js';

export interface InboundConfig {
  mailDomain: string;
  mailFrom: string;
  helpPerHour: number;
  /** The outbox row a bounce+<row>-<key> address stands for (security/bounce-keys.ts), or null. */
  bounceRowOf: (address: string) => number | null;
}

export interface InboundOutcome {
  status: InboundStatus;
  reason: string | null;
  eventId: number | null;
  /** Written already, with the change the message caused (nothing left to record). */
  recorded?: boolean;
}

export interface BounceSink {
  /** Marks a row already sent as bounced; false (nothing changed) for any other row. */
  markBounced(rowId: number, detail: Record<string, unknown>): Promise<boolean>;
}

const outcome = (status: InboundStatus, reason: string | null, eventId: number | null = null): InboundOutcome => ({ status, reason, eventId });
const recorded = (status: InboundStatus, reason: string, eventId: number): InboundOutcome => ({ status, reason, eventId, recorded: true });

function isFromOurselves(mail: MailFacts, cfg: InboundConfig): boolean {
  const from = bareAddress(mail.from) ?? '';
  const domain = cfg.mailDomain.toLowerCase();
  return from === cfg.mailFrom.toLowerCase() || /^(reply|meet)\+/.test(from) && from.endsWith(`@${domain}`);
}

export async function dispatchInbound(
  deps: Deps,
  bounces: BounceSink,
  cfg: InboundConfig,
  /** mail: the message's facts (read-mail.ts), null when it could not be parsed. */
  msg: { mail: MailFacts | null; rcptTo: string[]; inboundId?: number },
): Promise<InboundOutcome> {
  const { mail } = msg;
  if (!mail) return outcome('quarantined', 'unparseable message');
  if (isFromOurselves(mail, cfg)) return outcome('ignored', 'our own mail came back (loop)');

  const { kind } = mail;
  if (kind.kind === 'bounce') {
    // Only the VERP address counts, never the report's content (Message-ID, Final-Recipient).
    const rowId = bouncedRow(mail, msg.rcptTo, cfg.bounceRowOf);
    if (rowId === null) return outcome('bounce', 'delivery report not at a bounce address of ours: ignored');
    if (kind.action && kind.action !== 'failed') return outcome('bounce', `delivery report (${kind.action}) for outbox row ${rowId}: nothing to mark`);
    const marked = await bounces.markBounced(rowId, { ...(kind.status && { status: kind.status }), permanent: kind.permanent });
    return outcome('bounce', marked ? `outbox row ${rowId} bounced` : `report for outbox row ${rowId}, which is not a sent mail (or no longer kept): ignored`);
  }

  const who = await identify(deps, mail, msg.rcptTo, cfg.mailDomain);
  if (!who.ok) return outcome('quarantined', who.reason);
  const messageId = mail.messageId ?? undefined;
  const ctx: ActionContext = { actor: who.actor, via: 'email', ...(messageId && { messageId }), ...(msg.inboundId && { inboundId: msg.inboundId }) };
  // The outcome of a change is written with the change itself (ctx.inboundId), so a message
  // processed again (a retry, a restart, another instance) is refused by the store.
  try {
    return await apply(deps, cfg, mail, kind, who, ctx);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'already_applied') return recorded('applied', 'already applied', who.eventId);
    throw e;
  }
}

async function apply(deps: Deps, cfg: InboundConfig, mail: MailFacts, kind: Exclude<Classification, { kind: 'bounce' }>, who: Identified, ctx: ActionContext): Promise<InboundOutcome> {
  const messageId = ctx.messageId;
  const { rsvp } = mail;
  if (rsvp) {
    if (rsvp.attendee !== who.actor.email) return outcome('quarantined', `iMIP REPLY for ${rsvp.attendee}, not the token's party`, who.eventId);
    await recordRsvp(deps, ctx, who.eventId, rsvp);
    return recorded('applied', `RSVP ${rsvp.partstat}`, who.eventId);
  }
  if (kind.kind !== 'human') return outcome('ignored', `${kind.kind}: ${kind.reason}`, who.eventId);

  const details = { ...(messageId && { inReplyTo: messageId }), subject: mail.subject };
  const help = async (problem: string, unknownNumbers?: number[]) => {
    const sent = await replyWithHelp(deps, ctx, who.eventId, { ...details, problem, ...(unknownNumbers && { unknownNumbers }) }, cfg.helpPerHour);
    const { status, reason } = helpOutcome(problem, sent);
    return recorded(status, reason, who.eventId);
  };

  try {
    if (isRemindCommand(mail.reply)) return recorded('applied', await remindCommand(deps, ctx, who.eventId), who.eventId);
    const book = readBookCommand(mail.reply ?? '');
    if (book) {
      if (book.number === null) {
        // Who may book is the domain's rule: a party is told only the organizer books (not_organizer, below).
        await loadEvent(deps, who.actor, who.eventId, 'book');
        return await help(BOOK_USAGE);
      }
      await bookSlot(deps, ctx, who.eventId, { number: book.number, list: who.mailList });
      return recorded('applied', `booked ${book.number}`, who.eventId);
    }
    const selection = parseSelection(mail.reply ?? '');
    if (selection.kind === 'unparseable') return await help(`We could not read an answer in your reply (${selection.reason}).`);
    // Read against the list as stored inside the write: a slot removed meanwhile stays removed.
    const answered = await answerEvent(deps, ctx, who.eventId, { choice: selection, list: who.mailList }, { ack: details });
    if (!answered.applied) return await help('None of the numbers you sent is in the current slot list.', answered.unknown);
    return recorded('applied', answerSummary(answered.kept, answered.noticeSkipped), who.eventId);
  } catch (e) {
    // busy (a lock held elsewhere): thrown on, so the processor tries the message again later.
    if (!(e instanceof DomainError) || e.code === 'busy' || e.code === 'already_applied') throw e;
    const problem = problemFor(e);
    return problem ? await help(problem) : outcome('quarantined', `${e.code}: ${e.message}`, who.eventId);
  }
}
