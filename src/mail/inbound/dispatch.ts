// One stored inbound message → its effect (SPEC §5): its facts (read-mail.ts: parse → classify
// → extract, done on a parse thread) → identify → interpret → the same domain operations as
// REST. Returns the outcome; never throws for anything a sender can put in a message.
import { DomainError } from '../../domain/errors.js';
import { helpOutcome, replyWithHelp } from '../../domain/events/reply-help.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import type { InboundOutcome, InboundStatus } from './ports.js';
import type { Classification } from './classify.js';
import { identify, type Identity } from './identify.js';

type Identified = Extract<Identity, { ok: true }>;
import { bouncedRow } from './bounce-target.js';
import { bareAddress } from './address.js';
import { problemFor } from './reply-error.js';
import type { MailFacts } from './read-mail.js';
import { readZoneLine } from './zone-line.js';
import { setPartyZone, UNKNOWN_ZONE_HELP, withLearnedZone } from '../../domain/events/set-zone.js';
import { normalizeZone, zoneDisplayName, zoneOfDateHeader } from '../../domain/zones.js';
import { applyCalendarAnswer } from './calendar-answer.js';
import { answerReply } from './reply-answer.js';
import { answerDraftByMail, draftAddressed, startDraftByMail, type DraftDoorConfig } from './draft-door.js';
import type { DraftReading } from './draft-mail.js';
import { organizerCommandOf, organizerHelpOutcome, runOrganizerCommand } from './organizer-door.js';
import { NEW_LOCAL } from './recipients.js';

export interface InboundConfig {
  mailDomain: string;
  mailFrom: string;
  helpPerHour: number;
  /** MAIL_NEW_LOCAL: new@MAIL_DOMAIN starts a draft (SPEC §10). */
  newLocal?: string;
  /** The outbox row a bounce+<row>-<key> address stands for (security/bounce-keys.ts), or null. */
  bounceRowOf: (address: string) => number | null;
}

export type { InboundOutcome } from './ports.js';

export interface BounceSink {
  /** Marks a row already sent as bounced; false (nothing changed) for any other row. */
  markBounced(rowId: number, detail: Record<string, unknown>): Promise<boolean>;
}

const outcome = (status: InboundStatus, reason: string | null, eventId: number | null = null): InboundOutcome => ({ status, reason, eventId });
const recorded = (status: InboundStatus, reason: string, eventId: number | null): InboundOutcome => ({ status, reason, eventId, recorded: true });

function isFromOurselves(mail: MailFacts, cfg: InboundConfig): boolean {
  const from = bareAddress(mail.from) ?? '';
  const domain = cfg.mailDomain.toLowerCase();
  return from === cfg.mailFrom.toLowerCase() || /^(reply|meet)\+/.test(from) && from.endsWith(`@${domain}`);
}

export async function dispatchInbound(
  deps: Deps,
  bounces: BounceSink,
  cfg: InboundConfig,
  /**
   * mail: the message's facts (read-mail.ts), null when it could not be parsed; proposal: the
   * mail read as a draft when it is addressed to new@ (read-inbound.ts, on the parse thread).
   */
  msg: { mail: MailFacts | null; proposal: DraftReading | null; rcptTo: string[]; inboundId?: number },
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
  if (!who.ok) {
    // Organizer mail (SPEC §10), looked for only when no event token matched (replies, the hot
    // path, pay nothing for it): a reply to a draft's summary, or a mail to new@ with no token.
    const organizer = await organizerMail(deps, cfg, msg, mail, who.cause);
    return organizer ?? outcome('quarantined', who.reason);
  }
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

async function organizerMail(deps: Deps, cfg: InboundConfig, msg: { proposal: DraftReading | null; rcptTo: string[]; inboundId?: number }, mail: MailFacts, why: Extract<Identity, { ok: false }>['cause']): Promise<InboundOutcome | null> {
  const drafts: DraftDoorConfig = { ...cfg, newLocal: cfg.newLocal ?? NEW_LOCAL };
  const draft = why === 'unknown_token' ? await draftAddressed(deps, mail, msg.rcptTo, cfg.mailDomain) : null;
  const proposal = why === 'no_token' ? msg.proposal : null;
  try {
    if (draft) return await answerDraftByMail(deps, drafts, mail, draft, msg.inboundId);
    return proposal ? await startDraftByMail(deps, drafts, mail, proposal, msg.inboundId) : null;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'already_applied') return recorded('applied', 'already applied', draft?.eventId ?? null);
    throw e;
  }
}

async function apply(deps: Deps, cfg: InboundConfig, mail: MailFacts, kind: Exclude<Classification, { kind: 'bounce' }>, who: Identified, ctx: ActionContext): Promise<InboundOutcome> {
  const messageId = ctx.messageId;
  const zoneLine = kind.kind === 'human' ? readZoneLine(mail.reply ?? '') : null;
  const calendar = await applyCalendarAnswer(deps, cfg.mailDomain, mail, { eventId: who.eventId, email: who.actor.email }, ctx);
  if (calendar) {
    // The offset is learned only from a calendar answer whose attendee was checked (applied).
    if (calendar.status === 'applied') await learnZone(deps, ctx, who.eventId, mail.date);
    return { status: calendar.status, reason: calendar.reason, eventId: who.eventId, ...(calendar.recorded && { recorded: true }) };
  }
  if (kind.kind !== 'human') return outcome('ignored', `${kind.kind}: ${kind.reason}`, who.eventId);

  const details = { ...(messageId && { inReplyTo: messageId }), subject: mail.subject };
  // The organizer's commands (SPEC §10, §11): all of them with the owner's own token; `book`
  // and `remind` with anyone's too (the domain refuses a party); else the reply is a party's.
  const event = await deps.events.get(who.eventId);
  // Without a zone line, the Date header's offset is the best guess of the sender's zone (SPEC
  // §12): an answer stores it in its own write, anything else first (learnZone).
  const offset = zoneLine || !event ? null : zoneOfDateHeader(mail.date);
  const learned = offset && withLearnedZone(event!, who.actor.email, offset)
    ? { zone: offset, store: () => learnZone(deps, ctx, who.eventId, mail.date) } : null;
  const owner = !!event && who.actor.email === event.ownerEmail && who.actor.scope !== 'rsvp';
  const request = event && { deps, ctx, event, mail, mailList: who.mailList, details, helpPerHour: cfg.helpPerHour };
  const organizer = owner ? request : null;
  const help = async (problem: string, unknownNumbers?: number[]) => {
    if (organizer) return organizerHelpOutcome(organizer, problem);
    const sent = await replyWithHelp(deps, ctx, who.eventId, { ...details, problem, ...(unknownNumbers && { unknownNumbers }) }, cfg.helpPerHour);
    const { status, reason } = helpOutcome(problem, sent);
    return recorded(status, reason, who.eventId);
  };

  try {
    let zoneSet: string | undefined;
    if (zoneLine) {
      const zone = normalizeZone(zoneLine.zone);
      if (!zone) return await help(`“${zoneLine.zone.slice(0, 64)}” is not a time zone we know. ${UNKNOWN_ZONE_HELP}`);
      if (!zoneLine.rest) {
        await setPartyZone(deps, ctx, who.eventId, zone, 'chosen', { ack: details });
        return recorded('applied', `time zone ${zone}`, who.eventId);
      }
      // With an answer beside it: the zone first (not the message's outcome), so the ack shows it.
      await setPartyZone(deps, withoutInbound(ctx), who.eventId, zone, 'chosen');
      zoneSet = zoneDisplayName(zone);
    }
    const command = request && organizerCommandOf(zoneLine ? zoneLine.rest : mail.reply, owner ? 'owner' : 'other');
    if (request && command) {
      await learned?.store();
      return await runOrganizerCommand(command, request);
    }
    const zone = learned?.zone ?? event?.zones[who.actor.email]?.zone;
    const answered = await answerReply(deps, mail, who, ctx, { ...details, ...(zoneSet && { zoneSet }) }, {
      ...(zoneLine && { text: zoneLine.rest }),
      ...(zone && { zone }),
      ...(learned && { learned }),
    });
    if (answered.kind === 'help') return await help(answered.problem, answered.unknownNumbers);
    return recorded('applied', answered.reason, who.eventId);
  } catch (e) {
    // busy (a lock held elsewhere): thrown on, so the processor tries the message again later.
    if (!(e instanceof DomainError) || e.code === 'busy' || e.code === 'already_applied') throw e;
    const problem = organizer && e.code === 'validation' ? fieldProblems(e) : problemFor(e);
    await learned?.store();
    return problem ? await help(problem) : outcome('quarantined', `${e.code}: ${e.message}`, who.eventId);
  }
}

/** The context for a write that is not the message's outcome (that is written by the one after it). */
function withoutInbound({ inboundId: _, ...ctx }: ActionContext): ActionContext {
  return ctx;
}

/** Learns the offset of the mail's Date header as the sender's zone, unless they chose one (setPartyZone decides). */
async function learnZone(deps: Deps, ctx: ActionContext, eventId: number, date: string | null): Promise<void> {
  const offset = zoneOfDateHeader(date);
  if (!offset) return;
  try {
    await setPartyZone(deps, withoutInbound(ctx), eventId, offset, 'learned');
  } catch (e) {
    // Only a party or the organizer has a zone; anyone else's mail is handled (or refused) as before.
    if (!(e instanceof DomainError) || e.code !== 'forbidden') throw e;
  }
}

/** The messages of a validation error, for the organizer's help reply (a command's own words). */
function fieldProblems(e: DomainError): string {
  const fields = (e.details.fields ?? {}) as Record<string, string[]>;
  return Object.values(fields).flat().join(' ') || e.message;
}
