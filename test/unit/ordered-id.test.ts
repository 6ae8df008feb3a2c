import { describe, expect, it } from 'vitest';
import { orderedId } from '../../src/db/ordered-id.js';

describe('orderedId', () => {
  it('is a version-7 UUID whose text order follows time', () => {
    const a = orderedId(1_900_000_000_000);
    const b = orderedId(1_900_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(1_900_000_000_000);
  });

  it('does not repeat within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => orderedId(1_900_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
