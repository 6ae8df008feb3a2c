import { actorEmail, inboundMark, type ActionContext } from '../actor.js';
import { sameSlotLists, slotKey, slotToJson, type Slot } from '../slots.js';
import { DomainError } from '../errors.js';
import { mutateEvent } from './mutate-event.js';
import { updateChange } from './patch-event.js';
import { noticeCounts, noticeSkip, notifyChange, type NoticeSkip } from './notify-parties.js';
import { mailsFor, slotViews } from './mail-rows.js';
import { withLearnedZone } from './set-zone.js';
import { interpretAnswer, type Interpretation, type NumberedAnswer } from './numbered-answer.js';
import type { Deps, EventRecord } from '../ports.js';
import type { MailPayload } from '../notification.js';

const HOUR_MS = 3_600_000;

export interface AnswerResult {
  event: EventRecord;
  confirmed: boolean;
  /** False when none of the numbers named a slot still on the list: nothing was written. */
  applied: boolean;
  /** Numbers (as in the mail answered, or the stored list for a slot answer) kept. */
  kept: number[];
  /** Numbers whose slot is not, or no longer, on the list. */
  unknown: number[];
  /** Why the other parties were not told, when they were not (also in the UPDATE entry). */
  noticeSkipped: NoticeSkip | null;
}

export interface AnswerOptions {
  /** The list the party answered (the page they saw): if it changed meanwhile, nothing is applied. */
  expectedSlots?: Slot[];
  /** Queue a short acknowledgment to the answering party (e-mail door). */
  ack?: MailPayload['details'];
  /** An offset learned from the reply's Date header (SPEC §12), stored in the same write and shown in its mails. */
  learnedZone?: string;
}

/** Thrown inside the guarded write to leave it without writing (no slot named is still listed). */
class NothingKnown extends Error {
  constructor(readonly unknown: number[]) {
    super('no slot named is still on the list');
  }
}

function resolve(answer: Slot[] | NumberedAnswer, stored: Slot[]): Interpretation {
  if (!Array.isArray(answer)) {
    const r = interpretAnswer(answer, stored);
    // "All but 2" may keep nothing (a list of two, one gone meanwhile); it names no unknown slot.
    if (answer.choice.kind === 'allBut' ? r.unknown.length > 0 : answer.choice.kind !== 'none' && r.keep.length === 0) throw new NothingKnown(r.unknown);
    return r;
  }
  const numbered = slotViews(stored);
  return { keep: answer, kept: answer.map((s) => numbered.find((v) => v.key === slotKey(s))?.number ?? 0), unknown: [] };
}

/** What an applied answer did, in words (the inbound message's recorded outcome). */
export function answerSummary(kept: number[], skipped: NoticeSkip | null): string {
  return `kept ${kept.join(',') || 'none'}${skipped ? `; others not notified: ${skipped}` : ''}`;
}

const sameKeys = (a: string[] | undefined, b: string[]) => !!a && a.length === b.length && a.every((k, i) => k === b[i]);

/**
 * A party's answer from the web page or a reply e-mail: the slot list becomes the slots kept
 * (SPEC §5: as a PATCH by that party), then every other party is notified, all in one atomic
 * write. A numbered answer (a reply) is read against the list as stored inside that write:
 * numbers name slots of the mail answered, and a slot someone removed meanwhile is reported
 * in `unknown`, never restored. If the answer completes the confirmation rule, the invite
 * replaces the notice.
 *
 * Mail amplification: an answer that changes neither the list nor this party's recorded
 * answer notifies nobody and is acknowledged at most once an hour per event; past
 * `noticesPerPartyPerHour` or `outboxPendingPerEvent` the change still applies, unannounced.
 * The UPDATE entry's `notice_skipped` says why in each case.
 */
export async function answerEvent(deps: Deps, ctx: ActionContext, id: number, answer: Slot[] | NumberedAnswer, opts: AnswerOptions = {}): Promise<AnswerResult> {
  const who = actorEmail(ctx.actor);
  const since = new Date(deps.clock.now().getTime() - HOUR_MS);
  let out: Omit<AnswerResult, 'event'> = { confirmed: false, applied: true, kept: [], unknown: [], noticeSkipped: null };
  try {
    const event = await mutateEvent(deps, ctx.actor, id, 'patch', (stored, counts) => {
      const zones = opts.learnedZone ? withLearnedZone(stored, who, opts.learnedZone) : null;
      const current = zones ? { ...stored, zones } : stored;
      // Checked inside the guarded write, so a change landing just before cannot slip through.
      if (opts.expectedSlots && !sameSlotLists(opts.expectedSlots, current.slots)) {
        throw new DomainError('stale_slots', 'The list of times changed meanwhile.', { slots: current.slots.map(slotToJson) });
      }
      const { keep, kept, unknown } = resolve(answer, current.slots);
      const keys = keep.map(slotKey);
      const unchanged = sameSlotLists(keep, current.slots) && (!current.parties.includes(who) || sameKeys(current.answers[who], keys));
      const { change, next } = updateChange(deps, ctx, current, { slots: keep });
      if (zones) change.zones = zones;
      const confirmed = change.status === 'confirmed';
      const others = next.parties.filter((p) => p !== who);
      const skipped = confirmed || !others.length ? null : unchanged ? 'unchanged' : noticeSkip(deps, counts, others.length);
      if (skipped) change.log[0]!.data.notice_skipped = skipped;
      else if (!confirmed && others.length) {
        const notice = notifyChange(deps, ctx, next, others, who);
        change.log.push(...notice.log);
        change.tokens = [...(change.tokens ?? []), ...(notice.tokens ?? [])];
        change.outbox = [...(change.outbox ?? []), ...(notice.outbox ?? [])];
      }
      // An unchanged answer is acknowledged at most once an hour: repeats must not mail back.
      if (opts.ack && !(unchanged && counts.acks > 0)) {
        const ack = mailsFor(deps, next, 'ack', [who], { details: { kept, ...opts.ack, ...(unknown.length && { unknownNumbers: unknown }) } });
        change.tokens = [...(change.tokens ?? []), ...ack.tokens];
        change.outbox = [...(change.outbox ?? []), ...ack.outbox];
      }
      out = { confirmed, applied: true, kept, unknown, noticeSkipped: skipped };
      return { ...change, ...inboundMark(ctx, 'applied', answerSummary(kept, skipped)) };
    }, { ...noticeCounts(who, since), acks: { of: 'mailsTo', recipient: who, kind: 'ack', since } });
    return { event, ...out };
  } catch (e) {
    if (!(e instanceof NothingKnown)) throw e;
    const event = await deps.events.get(id);
    return { event: event!, confirmed: false, applied: false, kept: [], unknown: e.unknown, noticeSkipped: null };
  }
}
