import { describe, expect, it } from 'vitest';
import { formatSelection, MAX_SLOT_NUMBER, parseSelection } from '../../src/domain/selection.js';

const numbers = (...n: number[]) => ({ kind: 'numbers', numbers: n });

describe('parseSelection: numbers', () => {
  it.each([
    ['1,3', [1, 3]],
    ['1, 3', [1, 3]],
    ['1 3', [1, 3]],
    ['1;3', [1, 3]],
    ['1 and 3', [1, 3]],
    ['1 & 3', [1, 3]],
    ['1+3', [1, 3]],
    ['1 or 3', [1, 3]],
    ['Slots 1 & 3 work for me', [1, 3]],
    ['#2', [2]],
    ['2.', [2]],
    ['2', [2]],
    ['I can do 2', [2]],
    ['Yes, 2 is fine', [2]],
    ['Option 2 please!', [2]],
    ['1-3', [1, 2, 3]],
    ['1-3 please', [1, 2, 3]],
    ['1 – 3', [1, 2, 3]],
    ['1–3', [1, 2, 3]],
    ['1 to 3', [1, 2, 3]],
    ['2-4, 7', [2, 3, 4, 7]],
    ['3, 1, 3, 2-3', [1, 2, 3]],
    ['１，３', [1, 3]], // full-width digits and comma (CJK keyboards)
    ['30', [30]],
    ['Hi all,\n\n1 and 3 work for me.\n\nBob', [1, 3]],
    ['Hi Bob, 2 works', [2]],
    ['Thanks all!\n2', [2]],
    ['No problem, 2 works', [2]],
    ['Sounds good.\n\n4', [4]],
    ['1\n3', [1, 3]], // pure-number lines are merged
    ['2 is fine\nCall me on 0171 5551234', [2]], // only the deciding line counts
  ])('%j → %j', (text, expected) => {
    expect(parseSelection(text)).toEqual(numbers(...expected));
  });
});

describe('parseSelection: all / none', () => {
  it.each(['all', 'All', 'All of them work', 'all good!', 'Any of them', 'Alle', 'Hi,\nall of them work for me'])(
    '%j → all',
    (text) => expect(parseSelection(text)).toEqual({ kind: 'all' }),
  );
  it.each(['none', 'None work for me', 'none of these', 'Neither works, sorry', 'None at all', 'Keine'])(
    '%j → none',
    (text) => expect(parseSelection(text)).toEqual({ kind: 'none' }),
  );
});

describe('parseSelection: strict where ambiguous', () => {
  it.each([
    ['How about Tuesday at 3pm?', /time|unit|glued|day/],
    ['How about Thursday at 3?', /time word|day/],
    ['2022-11-01', /date/],
    ['10:30', /time/],
    ['14h30 works', /time/],
    ['11.03. would be better', /date/],
    ['1/3', /date|fraction/],
    ['Can we make it 30 minutes?', /unit/],
    ['The 2nd one', /glued/],
    ['2 next week', /day/],
    ['March 3 instead', /month/],
    ['3 may work', /month/], // "3 may" reads as a date ("3 May")
    ['1,3 but not 2', /negation/],
    ["I can't do 2", /negation/],
    ['all except 2', /mixes/],
    ['All 3 work', /mixes/],
    ['none but 3', /mixes/],
    ['Not all of them', /negation/],
    ['all or none', /both/],
  ])('%j → unparseable (%s)', (text, reason) => {
    const s = parseSelection(text);
    expect(s.kind).toBe('unparseable');
    expect(s.kind === 'unparseable' && s.reason).toMatch(reason);
  });

  it.each(['0', '31', '1, 99', '2-40', '123456789012345678901234567890'])('%j → out of range', (text) => {
    const s = parseSelection(text);
    expect(s).toMatchObject({ kind: 'unparseable' });
    expect(s.kind === 'unparseable' && s.reason).toMatch(/^slot number \d+…? is out of range \(1-30\)$/);
  });

  it.each(['', '   \n\n ', 'Hi,'])('%j → empty', (text) => {
    expect(parseSelection(text)).toEqual({ kind: 'unparseable', reason: 'empty reply' });
  });

  it.each(['Can we do next week instead?', 'Yes', 'Sounds great, thanks'])('%j → no signal', (text) => {
    expect(parseSelection(text)).toEqual({ kind: 'unparseable', reason: expect.stringMatching(/no slot numbers/) });
  });

  it('looks only at the first three non-empty lines', () => {
    expect(parseSelection('Thanks for organising.\nI will check.\nTalk soon.\n2')).toMatchObject({ kind: 'unparseable' });
    expect(parseSelection('Thanks for organising.\nI checked.\n2')).toEqual(numbers(2));
  });

  it('the first line with a signal decides, later lines do not rescue it', () => {
    expect(parseSelection('Tuesday at 3?\n2')).toMatchObject({ kind: 'unparseable' });
  });

  it('honours a smaller maxNumber', () => {
    expect(parseSelection('4', { maxNumber: 3 })).toMatchObject({ kind: 'unparseable' });
    expect(parseSelection(String(MAX_SLOT_NUMBER))).toEqual(numbers(MAX_SLOT_NUMBER));
  });

  it('never throws on odd input', () => {
    for (const t of [null, undefined, 42, '\u0000', '-'.repeat(10000), '9'.repeat(400), '1-'.repeat(500)]) {
      expect(() => parseSelection(t as unknown as string)).not.toThrow();
    }
  });
});

describe('formatSelection', () => {
  it('renders each kind', () => {
    expect(formatSelection(numbers(1, 3) as never)).toBe('1, 3');
    expect(formatSelection({ kind: 'all' })).toBe('all');
    expect(formatSelection({ kind: 'none' })).toBe('none');
    expect(formatSelection({ kind: 'unparseable', reason: 'x' })).toBe('unparseable (x)');
  });
});
