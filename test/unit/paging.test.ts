// The keyset cursor (src/domain/paging.ts): opaque to clients, one spelling per position, and
// anything else refused (the HTTP door answers 400 { cursor: [...] }).
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from '../../src/domain/paging.js';

describe('cursor', () => {
  it('names the id it was made from, up to the largest 32-bit id', () => {
    for (const id of [1, 42, 2_147_483_647]) expect(decodeCursor(encodeCursor(id))).toBe(id);
  });

  it('refuses what it did not make: garbage, other spellings of the same bytes, ids no row can have', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    expect(encodeCursor(1)).toBe('azE');
    for (const bad of ['', 'azE=', 'azF', 'a zE', '%%%', 'k1', b64('k0'), b64('k01'), b64('k-1'), b64('k2147483648'), b64('1'), b64('k1 '), 'A'.repeat(25)]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});

describe('toPage', () => {
  it('one row more than the limit means a next page, which starts after the last one kept', () => {
    expect(toPage([{ id: 3 }, { id: 5 }, { id: 9 }], 2)).toEqual({ items: [{ id: 3 }, { id: 5 }], next: encodeCursor(5) });
    expect(toPage([{ id: 3 }, { id: 5 }], 2)).toEqual({ items: [{ id: 3 }, { id: 5 }], next: null });
    expect(toPage([], 2)).toEqual({ items: [], next: null });
  });
});
