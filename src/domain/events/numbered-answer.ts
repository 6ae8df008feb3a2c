// A reply's numbers against the slots they name. Numbers refer to the list in the mail being
// answered (SPEC §5), which may differ from the list as stored: a number whose slot is no longer
// in the event is reported back, never put back into the list. Resolved inside the event's
// guarded write (answerEvent), so a slot removed a moment earlier by someone else stays removed.
import { slotKey, type Slot } from '../slots.js';
import type { SlotView } from '../notification.js';
import type { Selection } from '../selection.js';
import { slotViews } from './mail-rows.js';

/** What a reply selected (the selection grammar's readable outcomes). */
export type SlotChoice = Exclude<Selection, { kind: 'unparseable' }>;

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
  const wanted = choice.kind === 'all' ? list.map((v) => v.number) : choice.numbers;
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
