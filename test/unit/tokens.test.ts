// Event tokens and sealing (security/tokens.ts) over the pooled random bytes: every token and
// every IV is fresh, across refills of the pool, and sealed values open again.
import { describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/security/tokens.js';

const service = createTokenService('k'.repeat(44));

describe('token service', () => {
  it('generates 160-bit tokens, never the same twice across many refills of the pool', () => {
    const tokens = Array.from({ length: 5_000 }, () => service.generate());
    expect(tokens.every((t) => /^[0-9a-f]{40}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('seals with a fresh IV each time, and opens what it sealed', () => {
    const sealed = Array.from({ length: 1_000 }, () => service.seal('the same secret'));
    expect(new Set(sealed.map((s) => s.split('.')[1])).size).toBe(sealed.length);
    expect(sealed.every((s) => service.open(s) === 'the same secret')).toBe(true);
  });
});
