// One selection grammar (src/domain/selection.ts) for both doors that ask for slot numbers: the
// TUI's "keep which numbers?" prompt and a reply e-mail. The same answer must keep the same
// slots through either door, and an answer one door refuses the other refuses too.
import { describe, expect, it } from 'vitest';
import { chooseSlots } from '../../src/cli/tui/input.js';
import { parseSelection } from '../../src/domain/selection.js';
import { interpretAnswer } from '../../src/domain/events/numbered-answer.js';
import { slotViews } from '../../src/domain/events/mail-rows.js';
import { extractReply } from '../../src/mail/inbound/extract-reply.js';
import type { Slot } from '../../src/domain/slots.js';

const COUNT = 4;
const STORED: Slot[] = Array.from({ length: COUNT }, (_, i) => ({ beginUs: BigInt(i + 1) * 3_600_000_000n, durationUs: 1_800_000_000n }));

/** The mail door as dispatch.ts runs it: extract the reply, read it, resolve it against the mail's list. */
function mailDoor(text: string): number[] | 'refused' {
  const selection = parseSelection(extractReply({ text, html: null }).reply);
  if (selection.kind === 'unparseable') return 'refused';
  return interpretAnswer({ choice: selection, list: slotViews(STORED) }, STORED).kept;
}

function tuiDoor(text: string): number[] | 'refused' {
  const chosen = chooseSlots(text, COUNT);
  return typeof chosen === 'string' ? 'refused' : chosen;
}

describe('the TUI and the mail door read answers with one grammar', () => {
  it.each([
    ['1,3', [1, 3]], ['1 3', [1, 3]], ['2-4', [2, 3, 4]], ['4-2', [2, 3, 4]], [' 3 , 1 ', [1, 3]], ['1, 2 and 4', [1, 2, 4]],
    ['1 & 3', [1, 3]], ['#2', [2]], ['1 to 3', [1, 2, 3]], ['all', [1, 2, 3, 4]], ['ALL', [1, 2, 3, 4]], ['none', []],
    ['Slots 1 & 3 work for me', [1, 3]], ['１，３', [1, 3]],
  ])('%j keeps %j through both doors', (text, kept) => {
    expect(tuiDoor(text)).toEqual(kept);
    expect(mailDoor(text)).toEqual(kept);
  });

  it.each(['x', '10:30', 'Tuesday at 3', '2 hours', 'all but 2', '1 and none', 'not 2', '1/3', '0'])(
    '%j is refused by both doors',
    (text) => {
      expect(tuiDoor(text)).toBe('refused');
      expect(mailDoor(text)).toBe('refused');
    },
  );

  it('the TUI names a number outside its list and why an answer was not read', () => {
    expect(chooseSlots('5', COUNT)).toBe('Could not read that: slot number 5 is out of range (1-4).');
    expect(chooseSlots('10:30', COUNT)).toBe('Could not read that: looks like a time.');
  });
});
