// One stored inbound message → its effect (SPEC §5): parse → classify → identify → extract →
// interpret → the same domain operations as REST. Returns the outcome; never throws for
// anything a sender can put in a message.
import { simpleParser, type ParsedMail } from 'mailparser';
import { DomainError } from '../../domain/errors.js';
import { answerEvent, answerSummary } from '../../domain/events/answer-event.js';
import { helpOutcome, replyWithHelp } from '../../domain/events/reply-help.js';
import { recordRsvp } from '../../domain/events/record-rsvp.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import type { InboundStatus } from './ports.js';
import { classifyParsedMail, type Classification } from './classify.js';
import { identify, type Identity } from './identify.js';

type Identified = Extract<Identity, { ok: true }>;
import { bouncedRow } from './bounce-target.js';
import { extractReply } from './extract-reply.js';
import { parseSelection } from '../../domain/selection.js';
import { parseImipReply } from './imip.js';
import { bareAddress } from './address.js';
import { problemFor } from './reply-error.js';

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

async function parse(raw: Buffer): Promise<ParsedMail | null> {
  try {
    return await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000 });
  } catch {
    return null;
  }
}

function calendarText(parsed: ParsedMail): string | null {
  const part = parsed.attachments.find((a) => /^(text\/calendar|application\/ics)$/i.test(a.contentType));
  return part ? part.content.toString('utf8') : null;
}

function isFromOurselves(parsed: ParsedMail, cfg: InboundConfig): boolean {
  const from = bareAddress(parsed.from?.value[0]?.address ?? '') ?? '';
  const domain = cfg.mailDomain.toLowerCase();
  return from === cfg.mailFrom.toLowerCase() || /^(reply|meet)\+/.test(from) && from.endsWith(`@${domain}`);
}

export async function dispatchInbound(
  deps: Deps,
  bounces: BounceSink,
  cfg: InboundConfig,
  msg: { raw: Buffer; mailFrom: string | null; rcptTo: string[]; inboundId?: number },
): Promise<InboundOutcome> {
  const parsed = await parse(msg.raw);
  if (!parsed) return outcome('quarantined', 'unparseable message');
  if (isFromOurselves(parsed, cfg)) return outcome('ignored', 'our own mail came back (loop)');

  const kind = classifyParsedMail(parsed, msg.mailFrom);
  if (kind.kind === 'bounce') {
    // Only the VERP address counts, never the report's content (Message-ID, Final-Recipient).
    const rowId = bouncedRow(parsed, msg.rcptTo, cfg.bounceRowOf);
    if (rowId === null) return outcome('bounce', 'delivery report not at a bounce address of ours: ignored');
    if (kind.action && kind.action !== 'failed') return outcome('bounce', `delivery report (${kind.action}) for outbox row ${rowId}: nothing to mark`);
    const marked = await bounces.markBounced(rowId, { ...(kind.status && { status: kind.status }), permanent: kind.permanent });
    return outcome('bounce', marked ? `outbox row ${rowId} bounced` : `report for outbox row ${rowId}, which is not a sent mail (or no longer kept): ignored`);
  }

  const who = await identify(deps, parsed, msg.rcptTo, cfg.mailDomain);
  if (!who.ok) return outcome('quarantined', who.reason);
  const messageId = parsed.messageId ?? undefined;
  const ctx: ActionContext = { actor: who.actor, via: 'email', ...(messageId && { messageId }), ...(msg.inboundId && { inboundId: msg.inboundId }) };
  // The outcome of a change is written with the change itself (ctx.inboundId), so a message
  // processed again (a retry, a restart, another instance) is refused by the store.
  try {
    return await apply(deps, cfg, parsed, kind, who, ctx);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'already_applied') return recorded('applied', 'already applied', who.eventId);
    throw e;
  }
}

async function apply(deps: Deps, cfg: InboundConfig, parsed: ParsedMail, kind: Exclude<Classification, { kind: 'bounce' }>, who: Identified, ctx: ActionContext): Promise<InboundOutcome> {
  const messageId = ctx.messageId;
  const ics = calendarText(parsed);
  const rsvp = ics ? parseImipReply(ics) : null;
  if (rsvp) {
    if (rsvp.attendee !== who.actor.email) return outcome('quarantined', `iMIP REPLY for ${rsvp.attendee}, not the token's party`, who.eventId);
    await recordRsvp(deps, ctx, who.eventId, rsvp);
    return recorded('applied', `RSVP ${rsvp.partstat}`, who.eventId);
  }
  if (kind.kind !== 'human') return outcome('ignored', `${kind.kind}: ${kind.reason}`, who.eventId);

  const details = { ...(messageId && { inReplyTo: messageId }), subject: parsed.subject ?? '' };
  const help = async (problem: string, unknownNumbers?: number[]) => {
    const sent = await replyWithHelp(deps, ctx, who.eventId, { ...details, problem, ...(unknownNumbers && { unknownNumbers }) }, cfg.helpPerHour);
    const { status, reason } = helpOutcome(problem, sent);
    return recorded(status, reason, who.eventId);
  };

  try {
    const selection = parseSelection(extractReply({ text: parsed.text ?? null, html: parsed.html || null }).reply);
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
