// A reply read as a person means it (SPEC §12): the selection grammar (natural reading) first;
// a line naming days or times is matched against the numbered list of the mail answered. Each
// day or time must fit exactly one slot; one fitting none, said with a clock time, is a
// counter-proposal; anything that could mean two things is unclear (the help reply), never a
// guess. Pure; never throws.
import { parseSelection } from '../selection.js';
import { readPlainTimes } from '../plain-times.js';
import type { Slot } from '../slots.js';
import { readMentions, type Mention } from '../slot-mentions.js';
import type { SlotView } from '../notification.js';
import type { SlotChoice } from './numbered-answer.js';
import { wallClockAt } from '../zones.js';

export type ReplyReading =
  | { kind: 'choice'; choice: SlotChoice }
  | { kind: 'suggestion'; slots: Slot[]; text: string }
  | { kind: 'unclear'; reason: string };

export interface ReadingOptions {
  /** The zone the mail showed its times in: days and times that name a slot are read in it. */
  zone: string;
  /** The writer's zone, for a time they propose (SPEC §10: a time without a zone is the sender's); default `zone`. */
  proposalZone?: string;
  /** What "Friday" is counted from: the reply's Date, else now. */
  reference: Date;
  now: Date;
  /** Length of a proposed time that gives none (DEFAULT_SLOT_MINUTES). */
  defaultMinutes: number;
}

/** The wall clock of an instant in a zone ("+02:00" offsets or IANA names). */
function wallOf(ms: number, zone: string): Required<Pick<Mention, 'weekday' | 'day' | 'month' | 'year' | 'hour' | 'minute'>> {
  const w = wallClockAt(zone, ms);
  return { weekday: w.getUTCDay(), day: w.getUTCDate(), month: w.getUTCMonth() + 1, year: w.getUTCFullYear(), hour: w.getUTCHours(), minute: w.getUTCMinutes() };
}

const FIELDS = ['weekday', 'day', 'month', 'year', 'hour', 'minute'] as const;
const fits = (m: Mention, slot: SlotView, zone: string): boolean => {
  const w = wallOf(slot.beginMs, zone);
  return FIELDS.every((f) => m[f] === undefined || m[f] === w[f]);
};
const hasDay = (m: Mention) => m.weekday !== undefined || m.day !== undefined;
const hasClock = (m: Mention) => m.hour !== undefined;
/** `text`: the reply's new text; `list`: the numbered slots of the mail answered. */
export function readReply(text: string, list: SlotView[], o: ReadingOptions): ReplyReading {
  const selection = parseSelection(text, { natural: true });
  if (selection.kind === 'unparseable') return { kind: 'unclear', reason: selection.reason };
  if (selection.kind !== 'when') return { kind: 'choice', choice: selection };
  const { mentions, rest } = readMentions(selection.text, o.reference);
  if (mentions.length === 0) return { kind: 'unclear', reason: 'a day or time we could not read' };
  if (/\d/.test(rest)) return { kind: 'unclear', reason: 'numbers and a day or time together' };
  const fitting = mentions.map((m) => list.filter((s) => fits(m, s, o.zone)));
  const several = fitting.findIndex((f) => f.length > 1);
  if (several >= 0) {
    return { kind: 'unclear', reason: `"${mentions[several]!.text}" fits more than one slot (${fitting[several]!.map((s) => s.number).join(', ')})` };
  }
  if (fitting.every((f) => f.length === 1)) {
    return { kind: 'choice', choice: { kind: 'numbers', numbers: [...new Set(fitting.map((f) => f[0]!.number))].sort((a, b) => a - b) } };
  }
  // A counter-proposal names a day and a clock time that fit no slot; a mix of fitting and not
  // fitting ("Thursday, or Friday 3pm") could be either.
  if (!fitting.every((f) => f.length === 0)) return { kind: 'unclear', reason: 'some of the days or times fit a slot and some do not' };
  const open = mentions.find((m) => !hasClock(m) || !hasDay(m));
  if (open) return { kind: 'unclear', reason: `no slot fits "${open.text}", and it is not a day with a time` };
  // Read again as a proposal by the reader of organizers' times (SPEC §10): lengths, ranges, zones.
  const read = readPlainTimes(selection.text, { reference: o.reference, zone: o.proposalZone ?? o.zone, defaultMinutes: o.defaultMinutes, now: o.now });
  if (read.refused.length) return { kind: 'unclear', reason: `the time you propose: ${read.refused[0]!.reason}` };
  if (read.slots.length !== mentions.length) return { kind: 'unclear', reason: 'a day or time we could not read as a proposal' };
  return { kind: 'suggestion', slots: read.slots, text: selection.text };
}
