// A reply read as a person means it (SPEC §12), through the real reading: the selection
// grammar's natural reading, then days and times matched against the mail's numbered list.
// The fixture corpus (test/fixtures/replies-natural, en/de/fr) goes through mailparser →
// extractReply → readReply like the mail door does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseSelection } from '../../src/domain/selection.js';
import { readReply, type ReadingOptions } from '../../src/domain/events/reply-reading.js';
import { slotViews } from '../../src/domain/events/mail-rows.js';
import { extractReply } from '../../src/mail/inbound/extract-reply.js';
import { formatBegin, parseBegin } from '../../src/domain/slots.js';

const HOUR_US = 3_600_000_000n;
const at = (begin: string) => ({ beginUs: parseBegin(begin)!, durationUs: HOUR_US });
// As in the integration scene: Tue 11, Wed 12, Thu 13 March 2031, 14:00 UTC.
const LIST = slotViews(['2031-03-11T14:00:00Z', '2031-03-12T14:00:00Z', '2031-03-13T14:00:00Z'].map(at));
const REF = new Date('2031-03-04T10:12:45Z');
const O: ReadingOptions = { zone: 'UTC', reference: REF, now: REF, defaultMinutes: 60 };
const numbers = (...n: number[]) => ({ kind: 'choice', choice: { kind: 'numbers', numbers: n } });

describe('natural reading of the grammar', () => {
  it.each([
    ['Not 2, sorry.', { kind: 'allBut', numbers: [2] }],
    ['all but 2', { kind: 'allBut', numbers: [2] }],
    ['All of them except 2 and 3', { kind: 'allBut', numbers: [2, 3] }],
    ['alle außer 2', { kind: 'allBut', numbers: [2] }],
    ['Alle bis auf die 2, leider', { kind: 'allBut', numbers: [2] }],
    ['tous sauf 2', { kind: 'allBut', numbers: [2] }],
    ['The first and the third work.', { kind: 'numbers', numbers: [1, 3] }],
    ['der erste und der dritte', { kind: 'numbers', numbers: [1, 3] }],
    ['le premier et le troisième', { kind: 'numbers', numbers: [1, 3] }],
    ['the second one', { kind: 'numbers', numbers: [2] }],
    // Already working replies keep working.
    ['2 works for me', { kind: 'numbers', numbers: [2] }],
    ['Only 1 and 3 work', { kind: 'numbers', numbers: [1, 3] }],
    ['I can do number 2', { kind: 'numbers', numbers: [2] }],
    ['1 et 3, ça marche', { kind: 'numbers', numbers: [1, 3] }],
    ['all', { kind: 'all' }],
    ['none', { kind: 'none' }],
    // A bare ordinal word is not a slot ("First, sorry…"): the next line decides.
    ['First, sorry for the delay.\n2 works', { kind: 'numbers', numbers: [2] }],
  ])('%j → %j', (text, want) => {
    expect(parseSelection(text, { natural: true })).toEqual(want);
  });

  it.each(['Thursday works for me.', 'Donnerstag passt', 'jeudi me va', '14:00 on the 11th is good', 'how about Friday 3pm?', 'Et vendredi 15h ?'])(
    '%j names a day or time: handed on as it was written',
    (text) => expect(parseSelection(text, { natural: true })).toEqual({ kind: 'when', text }),
  );

  it.each([
    ['not 2 but maybe 3', /exclusion followed by more/],
    ['Not all of them', /exclusion|negation/],
    ['not Thursday', /exclusion|negation/],
    ["I can't do 2", /negation/],
    ['1,3 but not 2', /negation/],
    ['Can we make it 30 minutes?', /unit/],
  ])('%j → unparseable (%s)', (text, reason) => {
    const s = parseSelection(text, { natural: true });
    expect(s.kind).toBe('unparseable');
    expect(s.kind === 'unparseable' && s.reason).toMatch(reason);
  });

  it('the strict reading (TUI) is unchanged: exclusion, ordinals and days stay unparseable', () => {
    for (const t of ['all but 2', 'The first and the third work.', 'Thursday works']) expect(parseSelection(t).kind).toBe('unparseable');
  });
});

describe('readReply: days and times against the list', () => {
  it.each([
    ['Tuesday works for me.', [1]],
    ['Dienstag passt', [1]],
    ['mardi me va', [1]],
    ['Thursday works for me.', [3]],
    ['14:00 on the 11th is good', [1]],
    ['le 13 à 14h', [3]],
    ['am 12. um 14 Uhr', [2]],
    ['Tuesday or Thursday', [1, 3]],
  ])('%j → slots %j', (text, want) => {
    expect(readReply(text, LIST, O)).toEqual(numbers(...want));
  });

  it('a day two slots share is never guessed', () => {
    const two = slotViews([at('2031-03-13T10:00:00Z'), at('2031-03-13T14:00:00Z')]);
    expect(readReply('Thursday works', two, O)).toEqual({ kind: 'unclear', reason: '"Thursday" fits more than one slot (1, 2)' });
    // …but the day with its time is one slot.
    expect(readReply('Thursday at 10:00 is good', two, O)).toEqual(numbers(1));
  });

  it('matches in the zone the times were shown in', () => {
    expect(readReply('Tuesday 15:00', LIST, { ...O, zone: 'Europe/Berlin' })).toEqual(numbers(1));
    expect(readReply('Tuesday 14:00', LIST, { ...O, zone: 'Europe/Berlin' }).kind).toBe('suggestion');
  });

  it.each([
    ['how about Friday 3pm?', '2031-03-07T15:00:00Z', 60],
    ['could we do 12 March 10:00', '2031-03-12T10:00:00Z', 60],
    ['Wie wäre es mit Freitag 15 Uhr?', '2031-03-07T15:00:00Z', 60],
    ['Et vendredi 15h ?', '2031-03-07T15:00:00Z', 60],
    ['How about Friday 3-4:30pm?', '2031-03-07T15:00:00Z', 90],
    ['Friday 3pm for 30 min?', '2031-03-07T15:00:00Z', 30],
  ])('%j is a counter-proposal: %s for %i min', (text, begin, minutes) => {
    const r = readReply(text, LIST, O);
    expect(r.kind).toBe('suggestion');
    if (r.kind !== 'suggestion') return;
    expect(r.slots.map((s) => [formatBegin(s.beginUs), Number(s.durationUs / 60_000_000n)])).toEqual([[begin, minutes]]);
  });

  it.each([
    ['Thanks, 2 works. See you Thursday', /numbers and a day/],
    ['Friday works', /no slot fits "Friday"/],
    ['Tuesday, or Friday 3pm', /some of the days or times fit/],
    ['how about 3 March 2031 10:00?', /past/],
    ['2 next week', /numbers and a day/],
  ])('%j is unclear (%s)', (text, reason) => {
    const r = readReply(text, LIST, O);
    expect(r.kind).toBe('unclear');
    expect(r.kind === 'unclear' && r.reason).toMatch(reason);
  });
});

const DIR = fileURLToPath(new URL('../fixtures/replies-natural/', import.meta.url));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { kind: string; numbers?: number[]; begin?: string }>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();

describe('natural reply corpus (en, de, fr)', () => {
  it('every fixture has an expectation and vice versa; each language has each kind', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    for (const lang of ['en', 'de', 'fr']) {
      const kinds = files.filter((f) => f.startsWith(`${lang}-`)).map((f) => expected[f]!.kind);
      expect(new Set(kinds)).toEqual(new Set(lang === 'en' ? ['choice', 'suggestion', 'unclear'] : ['choice', 'suggestion']));
    }
  });

  it.each(files)('%s', async (file) => {
    const want = expected[file]!;
    const parsed = await simpleParser(readFileSync(join(DIR, file)));
    const { reply } = extractReply({ text: parsed.text, html: parsed.html || null });
    const r = readReply(reply, LIST, { ...O, reference: parsed.date! });
    expect(r.kind, `reply was:\n${reply}`).toBe(want.kind);
    if (r.kind === 'choice') {
      const c = r.choice;
      const kept = c.kind === 'numbers' ? c.numbers : c.kind === 'allBut' ? LIST.map((v) => v.number).filter((n) => !c.numbers.includes(n)) : [];
      expect(kept).toEqual(want.numbers);
    }
    if (r.kind === 'suggestion') expect(r.slots.map((s) => formatBegin(s.beginUs))).toEqual([want.begin]);
  });
});
