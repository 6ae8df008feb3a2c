// Organizer mail (SPEC §10) at the mail door: a mail to new@ starts a draft, a reply to a draft's
// reply+<token> sends, cancels or revises it. Translation only: what each does is in
// src/domain/drafts. Mail that is not a person's (auto-replies, bounces, lists) never acts.
import { startDraft } from '../../domain/drafts/start-draft.js';
import { cancelDraft, closedDraft, draftHelp, expireDraft, isExpired, reviseDraft } from '../../domain/drafts/change-draft.js';
import { sendDraft } from '../../domain/drafts/send-draft.js';
import type { DraftContext } from '../../domain/drafts/summary-mail.js';
import type { DraftOutcome } from '../../domain/drafts/start-draft.js';
import type { DraftRecord, UnreadableLine } from '../../domain/drafts/types.js';
import { readPlainTimes, type PlainTimes } from '../../domain/plain-times.js';
import type { Deps } from '../../domain/ports.js';
import { FOREIGN_STORED_TOKEN, STORED_TOKEN } from '../../security/token-scrub.js';
import { findTokenAddress } from './address.js';
import type { DraftReading } from './draft-mail.js';
import { draftWordOf } from './draft-words.js';
import type { InboundOutcome } from './ports.js';
import type { MailFacts } from './read-mail.js';
import { allRecipients } from './recipients.js';

export interface DraftDoorConfig {
  /** MAIL_NEW_LOCAL */
  newLocal: string;
  helpPerHour: number;
}

const toOutcome = (o: DraftOutcome): InboundOutcome => ({ status: o.status, reason: o.reason, eventId: o.eventId ?? null, recorded: o.recorded });

/** The draft whose reply+<token> the mail is addressed to, if any. */
export async function draftAddressed(deps: Deps, mail: MailFacts, rcptTo: string[], mailDomain: string): Promise<DraftRecord | null> {
  const found = findTokenAddress(allRecipients(mail, rcptTo), mailDomain);
  if (!found || found.role !== 'reply' || FOREIGN_STORED_TOKEN.test(found.token)) return null;
  const hash = STORED_TOKEN.exec(found.token)?.[1] ?? deps.tokens.hash(found.token);
  return deps.drafts.findByTokenHash(hash);
}

const contextOf = (mail: MailFacts, inboundId?: number): DraftContext =>
  ({ messageId: mail.messageId, subject: mail.subject, ...(inboundId && { inboundId }) });

/** Lines that gave no time, with why, as the summary lists them. */
function unusedLines(times: PlainTimes): UnreadableLine[] {
  return [...times.unreadable.map((line) => ({ line, why: 'not read as a time' })), ...times.refused.map((r) => ({ line: r.line, why: r.reason }))];
}

/** A mail to new@, read as a draft proposal on the parse thread (read-inbound.ts). */
export async function startDraftByMail(deps: Deps, cfg: DraftDoorConfig, mail: MailFacts, reading: DraftReading, inboundId?: number): Promise<InboundOutcome> {
  if (mail.kind.kind !== 'human') return { status: 'ignored', reason: `mail to ${cfg.newLocal}@ that no person wrote (${mail.kind.kind}): no draft`, eventId: null };
  if (!reading.sender) return { status: 'quarantined', reason: 'mail to new@ without a From address', eventId: null };
  return toOutcome(await startDraft(deps, contextOf(mail, inboundId), {
    sender: reading.sender, title: reading.title ?? '', parties: reading.parties,
    slots: reading.times.slots, unreadable: unusedLines(reading.times), zone: reading.zone, respondBy: reading.times.respondBy,
  }));
}

/** A reply to a draft's summary. The token authorizes: it went to the draft's sender only. */
export async function answerDraftByMail(deps: Deps, cfg: DraftDoorConfig, mail: MailFacts, draft: DraftRecord, inboundId?: number): Promise<InboundOutcome> {
  const ctx = contextOf(mail, inboundId);
  if (mail.kind.kind !== 'human') return toOutcome(await closedDraft(deps, ctx, draft, `${mail.kind.kind} (not acted on)`));
  const word = draftWordOf(mail.reply);
  if (isExpired(deps, draft)) return toOutcome(await expireDraft(deps, ctx, draft, word ?? 'reply'));
  if (word === 'send') return toOutcome(await sendDraft(deps, ctx, draft));
  if (draft.status !== 'open') return toOutcome(await closedDraft(deps, ctx, draft, word ?? 'reply'));
  if (word === 'cancel') return toOutcome(await cancelDraft(deps, ctx, draft));
  if (word === 'help') return toOutcome(await draftHelp(deps, ctx, draft, cfg.helpPerHour));
  const now = deps.clock.now();
  const reference = mail.date ? new Date(Date.parse(mail.date)) : now;
  const zone = draft.zone;
  const times = readPlainTimes(mail.reply ?? '', {
    reference: Number.isNaN(reference.getTime()) ? now : reference, zone, defaultMinutes: deps.config.defaultSlotMinutes, now,
  });
  if (!times.slots.length && !times.respondBy) return toOutcome(await draftHelp(deps, ctx, draft, cfg.helpPerHour));
  // Other times replace the list; a deadline line alone changes only the deadline; without one the deadline stays.
  return toOutcome(await reviseDraft(deps, ctx, draft, {
    slots: times.slots.length ? times.slots : draft.slots, unreadable: unusedLines(times), zone, respondBy: times.respondBy ?? draft.respondBy,
  }));
}
