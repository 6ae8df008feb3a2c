// Outbox rows can wait across an upgrade: a row written when slots travelled as SPEC §2 strings
// must still be sent, byte for byte as a row of the numeric shape, and still be answerable.
import { describe, expect, it } from 'vitest';
import { compose, type ComposeConfig } from '../../src/mail/outbound/compose.js';
import { readMailPayload, readSlotView, type LegacySlotView } from '../../src/domain/stored-payload.js';
import { interpretAnswer } from '../../src/domain/events/numbered-answer.js';
import { parseSlotKey } from '../../src/domain/slots.js';
import { input, outboxRow, SLOTS } from './outbound-fixture.js';

// The fixture's slots as the old code wrote them (mail-rows.ts before slots became numbers).
const LEGACY: LegacySlotView[] = [
  { number: 1, begin: '2031-03-11T14:00:00Z', duration: '01:00:00', key: SLOTS[0]!.key },
  { number: 2, begin: '2031-03-11T23:30:00Z', duration: '01:00:00', key: SLOTS[1]!.key },
  { number: 3, begin: '2031-03-12T09:00:00Z', duration: '1 02:00:00', key: SLOTS[2]!.key },
];

const cfg: ComposeConfig = {
  publicUrl: 'https://calndro.example.test', mailDomain: 'example.test', mailFrom: 'calndro@example.test',
  mailFromName: 'calndro', openSealed: (sealed) => `open-${sealed}`,
};

/** The row as stored, with its slots swapped for the legacy shape. */
function legacyRow(row: ReturnType<typeof outboxRow>): ReturnType<typeof outboxRow> {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  payload.slots = LEGACY;
  if (payload.confirmedSlot) payload.confirmedSlot = LEGACY[(payload.confirmedSlot as { number: number }).number - 1];
  return { ...row, payload: JSON.stringify(payload) };
}

/** Everything the MIME writer gets (text, HTML, ICS, headers): equal input, equal bytes. */
const composed = (row: ReturnType<typeof outboxRow>) => compose(row, cfg);

describe('outbox rows of the legacy slot shape', () => {
  it('readSlotView takes the numbers from the key and leaves the current shape as it is', () => {
    expect(LEGACY.map(readSlotView)).toEqual(SLOTS);
    expect(SLOTS.map(readSlotView)).toEqual(SLOTS);
    expect(readSlotView({ number: 4, begin: '2031-03-13T09:00:00.123456Z', duration: '00:00:45.5', key: '1931158800123456/45500000' }))
      .toEqual({ number: 4, beginMs: Date.parse('2031-03-13T09:00:00.123Z'), durationMs: 45_500, key: '1931158800123456/45500000' });
  });

  it('readMailPayload rewrites the list and the confirmed slot, nothing else', () => {
    const stored = { ...input('confirmation'), slots: LEGACY, confirmedSlot: LEGACY[1]! };
    expect(readMailPayload(stored)).toEqual(input('confirmation'));
  });

  it('a proposal row composes the same message as the current shape (labels and ICS included)', () => {
    const row = outboxRow(3, '<calndro.out.3@example.test>', 'sealed');
    const now = composed(row);
    expect(now.message.text).toContain('  2. Tue 11 Mar 2031, 23:30 – Wed 12 Mar 2031, 00:30 UTC (1 h)\n');
    expect(JSON.stringify(now.message)).toContain('DTSTART:20310312T090000Z');
    expect(composed(legacyRow(row))).toEqual(now);
  });

  it('a confirmation row composes the same invite (REQUEST for the confirmed slot)', () => {
    const row = outboxRow(4, '<calndro.out.4@example.test>', 'sealed');
    row.payload = JSON.stringify({ ...input('confirmation'), sealedToken: 'sealed', sealedOrganizerToken: 'org', link: undefined });
    const now = composed(row);
    expect(JSON.stringify(now.message)).toContain('DTSTART:20310311T233000Z');
    expect(composed(legacyRow(row))).toEqual(now);
  });

  it('the scrubbed payload kept after sending is written in the current shape', () => {
    const { scrubbed } = compose(legacyRow(outboxRow(5, '<calndro.out.5@example.test>', 'sealed')), cfg);
    expect(JSON.parse(scrubbed).slots).toEqual(SLOTS);
  });

  it('a reply to a legacy mail names the same slots', () => {
    const stored = SLOTS.map((v) => parseSlotKey(v.key));
    const list = LEGACY.map(readSlotView);
    expect(interpretAnswer({ choice: { kind: 'numbers', numbers: [1, 3] }, list }, stored).keep).toEqual([stored[0], stored[2]]);
  });
});
