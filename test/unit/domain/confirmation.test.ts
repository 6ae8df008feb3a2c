import { describe, expect, it } from 'vitest';
import { slotKey } from '../../../src/domain/slots.js';
import { confirmableSlot } from '../../../src/domain/events/confirmation.js';
import type { Slot } from '../../../src/domain/slots.js';
import { slot, A, B, BOB, CAROL } from '../../helpers/domain-scene.js';

describe('confirmableSlot (SPEC §7)', () => {
  const parties = [BOB, CAROL];
  const all = (slots: Slot[]) => Object.fromEntries(parties.map((p) => [p, slots.map(slotKey)]));

  it('exactly one slot and every party’s latest answer includes it → that slot', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: all([A]) })).toEqual(A);
    // an answer may include more than the remaining slot
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A), slotKey(B)], [CAROL]: [slotKey(A)] } })).toEqual(A);
  });

  it('two slots → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A, B], answers: all([A, B]) })).toBeNull();
  });

  it('no slot → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [], answers: all([]) })).toBeNull();
  });

  it('a party that never answered → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A)] } })).toBeNull();
  });

  it('a party whose latest answer excludes the slot → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A)], [CAROL]: [slotKey(B)] } })).toBeNull();
    // same begin, other duration is another slot
    const longerA = { beginUs: A.beginUs, durationUs: A.durationUs * 2n };
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A)], [CAROL]: [slotKey(longerA)] } })).toBeNull();
  });

  it('a cancelled or already confirmed event → null', () => {
    expect(confirmableSlot({ status: 'cancelled', parties, slots: [A], answers: all([A]) })).toBeNull();
    expect(confirmableSlot({ status: 'confirmed', parties, slots: [A], answers: all([A]) })).toBeNull();
  });
});
