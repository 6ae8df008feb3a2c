// A reply's numbers against the slots they name. Numbers refer to the list in the mail being
// answered (SPEC §5), which may differ from the list as stored: a number whose slot is no longer
// in the event is reported back, never put back into the list. Resolved inside the event's
// guarded write (answerEvent), so a slot removed a moment earlier by someone else stays removed.
import { slotKey, type Slot } from '../slots.js';
import type { SlotView } from '../notification.js';
import type { NaturalSelection } from '../selection.js';
import { slotViews } from './mail-rows.js';

/** What a reply selected (the selection grammar's readable outcomes; days and times resolved to numbers first). */
export type SlotChoice = Exclude<NaturalSelection, { kind: 'unparseable' } | { kind: 'when' }>;

/** A choice and the numbered list of the mail it answers (null: unknown, read the stored list). */
export interface NumberedAnswer {
  choice: SlotChoice;
  list: SlotView[] | null;
}

export interface Interpretation {
  /** The stored slots kept, in stored order. */
  keep: Slot[];
  /** Numbers (as in the mail) that were kept. */
  kept: number[];
  /** Numbers not in the mail's list, or whose slot has since left the event's list. */
  unknown: number[];
}

export function interpretAnswer({ choice, list: mailList }: NumberedAnswer, stored: Slot[]): Interpretation {
  const out: Interpretation = { keep: [], kept: [], unknown: [] };
  const list = mailList ?? slotViews(stored);
  if (choice.kind === 'none') return out;
  const storedKeys = new Set(stored.map(slotKey));
  if (choice.kind === 'allBut') {
    // Every number excluded must name a slot of the mail: "not 5" under a list of three means something else.
    out.unknown = choice.numbers.filter((n) => !list.some((v) => v.number === n));
    if (out.unknown.length) return out;
  }
  const wanted = choice.kind === 'all' ? list.map((v) => v.number)
    : choice.kind === 'allBut' ? list.map((v) => v.number).filter((n) => !choice.numbers.includes(n)) : choice.numbers;
  const keys = new Set<string>();
  for (const n of wanted) {
    const view = list.find((v) => v.number === n);
    if (view && storedKeys.has(view.key)) {
      keys.add(view.key);
      out.kept.push(n);
    } else if (choice.kind === 'numbers') out.unknown.push(n);
  }
  out.keep = stored.filter((s) => keys.has(slotKey(s)));
  return out;
}
