// A slot reaches every reader as numbers (slotSpan) and becomes text once, at the edge: the mail
// list line and the web page's slot text come from one builder (domain/time-labels.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBegin, parseDuration, slotSpan, type Slot } from '../../src/domain/slots.js';
import { slotLabels } from '../../src/domain/time-labels.js';
import { slotViews } from '../../src/domain/events/mail-rows.js';
import { renderMail } from '../../src/mail/outbound/render.js';
import { pageView } from '../../src/http/page/view-model.js';
import { formatSlot } from '../../src/cli/tui/format.js';
import type { EventRecord } from '../../src/domain/ports.js';
import type { Actor } from '../../src/domain/actor.js';
import { input } from './outbound-fixture.js';

const slot = (b: string, d: string): Slot => ({ beginUs: parseBegin(b)!, durationUs: parseDuration(d)! });

const SLOTS = [
  slot('2031-03-11T14:00:00Z', '01:30'),
  slot('2031-03-11T23:30:00Z', '01:00'), // ends on the next UTC day
  slot('2031-03-13T09:00:00.123456Z', '00:00:45.5'), // seconds and fractions
  slot('2031-03-15T10:00:00.0005Z', '00:59:59.9995'), // ends exactly at 11:00
];

describe('slotSpan', () => {
  it('gives whole milliseconds of the begin and of the span to the end', () => {
    expect(slotSpan(SLOTS[0]!)).toEqual({ beginMs: Date.parse('2031-03-11T14:00:00Z'), durationMs: 5_400_000 });
    expect(slotSpan(SLOTS[2]!)).toEqual({ beginMs: Date.parse('2031-03-13T09:00:00.123Z'), durationMs: 45_500 });
  });

  it('cuts the end on its own, so a slot ending on the hour ends on the hour', () => {
    const { beginMs, durationMs } = slotSpan(SLOTS[3]!);
    expect(new Date(beginMs + durationMs).toISOString()).toBe('2031-03-15T11:00:00.000Z');
  });

  it('rounds down before 1970 too', () => {
    expect(slotSpan({ beginUs: -1n, durationUs: 2_000n })).toEqual({ beginMs: -1, durationMs: 2 });
  });
});

describe('one slot label for the mail and the page', () => {
  const event = {
    id: 7, title: 'T', status: 'open', ownerEmail: 'o@example.test', parties: ['a@example.test'], answers: {}, slots: SLOTS,
  } as unknown as EventRecord;
  const actor = { kind: 'user', user: { email: 'o@example.test' } } as unknown as Actor;
  const page = pageView({ event, entries: [], logLinks: { older: null, newest: null }, actor, form: null, notice: null, action: '/7/', bookAction: '/7/book/' });
  const { text } = renderMail(input('proposal', { slots: slotViews(SLOTS) }));

  it.each([
    [0, 'Tue 11 Mar 2031, 14:00–15:30 UTC (1 h 30 min)'],
    [1, 'Tue 11 Mar 2031, 23:30 – Wed 12 Mar 2031, 00:30 UTC (1 h)'],
    [2, 'Thu 13 Mar 2031, 09:00–09:00:45 UTC (45 s)'],
    [3, 'Sat 15 Mar 2031, 10:00–11:00 UTC (1 h)'],
  ])('slot %i reads %j in both', (i, label) => {
    expect(slotLabels(slotSpan(SLOTS[i]!)).text).toBe(label);
    expect(page.slots[i]!.times.text).toBe(label);
    expect(text).toContain(`\n  ${i + 1}. ${label}\n`);
  });
});

describe('TUI slot lines (terminal zone, here UTC)', () => {
  const zone = process.env.TZ;
  beforeAll(() => { process.env.TZ = 'UTC'; });
  afterAll(() => { if (zone === undefined) delete process.env.TZ; else process.env.TZ = zone; });

  it('reads the API form with the domain parsers and shows seconds only when there are some', () => {
    expect(formatSlot({ begin: '2031-03-11T14:00:00Z', duration: '01:30:00' })).toBe('Tue 2031-03-11 14:00–15:30 UTC (1 h 30 min)');
    expect(formatSlot({ begin: '2031-03-11T23:30:00Z', duration: '1 02:00:00' })).toBe('Tue 2031-03-11 23:30–Thu 2031-03-13 01:30 UTC (1 d 2 h)');
    expect(formatSlot({ begin: '2031-03-13T09:00:00.123456Z', duration: '00:00:45.500000' })).toBe('Thu 2031-03-13 09:00–09:00:45 UTC (45 s)');
    expect(formatSlot({ begin: 'soon', duration: '01:00:00' })).toBe('soon (01:00:00)');
  });
});
