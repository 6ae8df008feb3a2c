// Turns a parsed selection into the slots to keep. Numbers refer to the list in the mail
// being answered (SPEC §5), which may differ from today's list: a number whose slot is no
// longer in the event is reported back, not guessed.
import { parseSlotKey, slotKey, type Slot } from '../../domain/slots.js';
import type { SlotView } from '../../domain/notification.js';
import type { Selection } from './grammar.js';

export interface Interpretation {
  keep: Slot[];
  /** Numbers (as in the mail) that were kept. */
  kept: number[];
  /** Numbers not in the mail's list, or whose slot has since left the event's list. */
  unknown: number[];
}

export function interpretSelection(selection: Exclude<Selection, { kind: 'unparseable' }>, mailList: SlotView[], current: Slot[]): Interpretation {
  const live = new Set(current.map(slotKey));
  if (selection.kind === 'none') return { keep: [], kept: [], unknown: [] };
  const wanted = selection.kind === 'all' ? mailList.map((v) => v.number) : selection.numbers;
  const out: Interpretation = { keep: [], kept: [], unknown: [] };
  for (const n of wanted) {
    const view = mailList.find((v) => v.number === n);
    if (view && live.has(view.key)) {
      out.keep.push(parseSlotKey(view.key));
      out.kept.push(n);
    } else if (selection.kind === 'numbers') out.unknown.push(n);
  }
  return out;
}
