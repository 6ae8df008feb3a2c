// A person's reply in words (SPEC §5, §12): read against the numbered list of the mail it
// answers (or the stored list) and turned into what it means: an answer (answerEvent), a
// proposed time (suggestTime), or, when it could mean two things or nothing, the help reply.
import { answerEvent, answerSummary } from '../../domain/events/answer-event.js';
import { readReply } from '../../domain/events/reply-reading.js';
import { suggestTime } from '../../domain/events/suggest-time.js';
import { zoneOfDateHeader } from '../../domain/plain-times.js';
import { slotViews } from '../../domain/events/mail-rows.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import type { SlotView } from '../../domain/notification.js';
import type { MailFacts } from './read-mail.js';

export type ReplyOutcome =
  | { kind: 'applied'; reason: string }
  /** Not applied: answer with help, naming the problem (and numbers not on the list). */
  | { kind: 'help'; problem: string; unknownNumbers?: number[] };

export interface ReplyAnswerOptions {
  /** The zone the mail showed its times in (UTC until parties have zones, SPEC §12); a proposed time is read in the Date header's zone. */
  zone?: string;
  /** The text to read, when not the whole reply (a zone line taken off the top). */
  text?: string;
  /**
   * An offset to learn from the Date header (dispatch.ts): an answer stores it in its own write;
   * any other outcome stores it (`store`) before its mail is built.
   */
  learned?: { zone: string; store(): Promise<void> };
}

export async function answerReply(deps: Deps, mail: MailFacts, who: { eventId: number; mailList: SlotView[] | null }, ctx: ActionContext,
  details: { inReplyTo?: string; subject: string; zoneSet?: string }, o: ReplyAnswerOptions = {}): Promise<ReplyOutcome> {
  const list = who.mailList ?? slotViews((await deps.events.get(who.eventId))?.slots ?? []);
  const now = deps.clock.now();
  // "Friday" counts from when the reply was written (its Date), unless that is unreadable or ahead of us.
  const written = mail.date ? new Date(mail.date) : null;
  const reference = written && Number.isFinite(written.getTime()) && written <= now ? written : now;
  const zone = o.zone ?? 'UTC';
  const proposalZone = (mail.date && zoneOfDateHeader(mail.date)) || zone;
  const reading = readReply(o.text ?? mail.reply ?? '', list, { zone, proposalZone, reference, now, defaultMinutes: deps.config.defaultSlotMinutes });
  if (reading.kind === 'unclear') {
    await o.learned?.store();
    return { kind: 'help', problem: `We could not read an answer in your reply (${reading.reason}).` };
  }
  if (reading.kind === 'suggestion') {
    await o.learned?.store();
    const done = await suggestTime(deps, ctx, who.eventId, { slots: reading.slots, source: { kind: 'email', text: reading.text } }, { ...(details.inReplyTo && { inReplyTo: details.inReplyTo }), subject: details.subject });
    return { kind: 'applied', reason: `suggested a time${done.forwarded ? '' : ' (not forwarded: cap)'}` };
  }
  // Read against the list as stored inside the write: a slot removed meanwhile stays removed.
  const answered = await answerEvent(deps, ctx, who.eventId, { choice: reading.choice, list: who.mailList },
    { ack: details, ...(o.learned && { learnedZone: o.learned.zone }) });
  if (!answered.applied) {
    await o.learned?.store();
    return { kind: 'help', problem: 'None of the numbers you sent is in the current slot list.', unknownNumbers: answered.unknown };
  }
  return { kind: 'applied', reason: answerSummary(answered.kept, answered.noticeSkipped) };
}
