// A party proposes a time that is not on the list (SPEC §12): a reply in words ("how about
// Friday 3pm?") or a calendar client's iMIP COUNTER ("propose new time"). Recorded, forwarded to
// the organizer, who may `add` it for everyone; never applied to the slot list here.
import { actorEmail, contextData, inboundMark, type ActionContext } from '../actor.js';
import { DomainError } from '../errors.js';
import { MAX_DURATION_US, slotSpan, slotToJson, type Slot } from '../slots.js';
import { stripControlChars } from '../text.js';
import { mailsFor, mergeBatches } from './mail-rows.js';
import { mutateEvent } from './mutate-event.js';
import { counterDueAt, withCounter } from './counter-decline.js';
import type { Deps, EventRecord } from '../ports.js';
import type { MailPayload } from '../notification.js';

const HOUR_MS = 3_600_000;
/** Forwards of suggestions to one organizer per event and hour; past it they are only logged. */
export const SUGGESTIONS_PER_HOUR = 10;

export interface Suggestion {
  slots: Slot[];
  /** How it came: a reply in words, or a calendar's COUNTER (its UID and SEQUENCE, for DECLINECOUNTER). */
  source: { kind: 'email'; text: string } | { kind: 'calendar'; uid: string; sequence: number; comment?: string };
}

export interface SuggestResult {
  event: EventRecord;
  /** Whether the organizer was mailed (false past SUGGESTIONS_PER_HOUR). */
  forwarded: boolean;
}

/**
 * Records `suggestion` by the acting party: one SUGGEST entry (the times in UTC, who proposed
 * them, how), one mail to the organizer saying who proposed what and that replying `add <time>`
 * offers it to everyone, and an acknowledgment to the proposer that the organizer was asked.
 * Once per inbound message (ctx.inboundId, written in the same write). A cancelled event takes
 * no suggestion (event_closed); a confirmed one does (the organizer may still move it).
 */
export async function suggestTime(deps: Deps, ctx: ActionContext, id: number, suggestion: Suggestion,
  reply: Pick<NonNullable<MailPayload['details']>, 'inReplyTo' | 'subject'> = {}): Promise<SuggestResult> {
  const who = actorEmail(ctx.actor);
  const since = new Date(deps.clock.now().getTime() - HOUR_MS);
  let forwarded = false;
  if (suggestion.slots.length === 0) throw new DomainError('validation', 'No time suggested.');
  if (suggestion.slots.some((s) => s.durationUs <= 0n || s.durationUs > MAX_DURATION_US)) {
    throw new DomainError('validation', 'A suggested time must last more than nothing and at most 7 days (SPEC §2).');
  }
  // rsvp: what a calendar's meet+ address may do; any party's own token passes it too.
  const event = await mutateEvent(deps, ctx.actor, id, 'rsvp', (current, counts) => {
    if (current.status === 'cancelled') throw new DomainError('event_closed', 'This event was cancelled.', { status: current.status });
    forwarded = counts.forwarded < SUGGESTIONS_PER_HOUR;
    const { source } = suggestion;
    const details = { ...reply, suggested: suggestion.slots.map(slotSpan), proposer: who, suggestedVia: source.kind };
    const toOrganizer = forwarded ? mailsFor(deps, current, 'suggestion', [current.ownerEmail], { details: { suggested: details.suggested, proposer: who, suggestedVia: source.kind } })
      : { tokens: [], outbox: [] };
    // A calendar client shows no mail thread to answer in: the acknowledgment goes to the person.
    const toProposer = mailsFor(deps, current, 'suggested', [who], { details });
    const batch = mergeBatches(toOrganizer, toProposer);
    const said = source.kind === 'email' ? { text: stripControlChars(source.text).slice(0, 500) }
      : { calendar_uid: source.uid, calendar_sequence: source.sequence, ...(source.comment && { comment: stripControlChars(source.comment).slice(0, 500) }) };
    return {
      ...inboundMark(ctx, 'applied', `suggested ${suggestion.slots.map((s) => slotToJson(s).begin).join(', ')}`),
      log: [{ occurrence: 'SUGGEST', effector: who, slots: current.slots,
        data: { ...contextData(ctx), suggested: suggestion.slots.map(slotToJson), proposer: who, source: source.kind, forwarded, ...said } }],
      tokens: batch.tokens,
      outbox: batch.outbox,
      // A calendar's COUNTER is answered with a DECLINECOUNTER if the organizer lets it be (SPEC §12).
      ...(source.kind === 'calendar' && {
        followUp: withCounter(deps, current.followUp, { proposer: who, uid: source.uid, sequence: source.sequence, slot: suggestion.slots[0]!, due: counterDueAt(deps, current) }),
      }),
    };
  }, { forwarded: { of: 'mailsTo', recipient: (await deps.events.get(id))?.ownerEmail ?? '', kind: 'suggestion', since } });
  return { event, forwarded };
}
