import { describe, expect, it } from 'vitest';
import { bareAddress, findTokenAddress } from '../../src/mail/inbound/address.js';

const T = '0123456789abcdef0123456789abcdef01234567';
const DOMAIN = 'calndro.test';

describe('findTokenAddress', () => {
  it('finds reply+ and meet+ tokens', () => {
    expect(findTokenAddress([`reply+${T}@calndro.test`], DOMAIN)).toEqual({ role: 'reply', token: T });
    expect(findTokenAddress([`meet+${T}@calndro.test`], DOMAIN)).toEqual({ role: 'meet', token: T });
  });

  it('finds the stored form of a token (h + its hash) that stored mail carries instead', () => {
    const stored = `h${'c'.repeat(64)}`;
    expect(findTokenAddress([`reply+${stored}@calndro.test`], DOMAIN)).toEqual({ role: 'reply', token: stored });
    expect(findTokenAddress([`reply+h${'c'.repeat(63)}@calndro.test`, `reply+${T}h@calndro.test`], DOMAIN)).toBeNull();
  });

  it('accepts display-name forms and ignores case of token, role and domain', () => {
    const upper = `"calndro" <REPLY+${T.toUpperCase()}@CALNDRO.Test>`;
    expect(findTokenAddress([upper], 'Calndro.TEST')).toEqual({ role: 'reply', token: T });
    expect(findTokenAddress([`Meeting bot <mailto:meet+${T}@calndro.test>`], DOMAIN)).toEqual({ role: 'meet', token: T });
  });

  it('returns the first matching recipient in the order given', () => {
    const other = 'f'.repeat(40);
    const found = findTokenAddress(['alice@example.org', `meet+${other}@calndro.test`, `reply+${T}@calndro.test`], DOMAIN);
    expect(found).toEqual({ role: 'meet', token: other });
  });

  it.each([
    [`reply+${T}@other.test`, 'foreign domain'],
    [`reply+${T}@sub.calndro.test`, 'subdomain'],
    [`reply+${T.slice(1)}@calndro.test`, '39 hex chars'],
    [`reply+${T}0@calndro.test`, '41 hex chars'],
    [`reply+${T.slice(1)}g@calndro.test`, 'non-hex char'],
    [`bounces+${T}@calndro.test`, 'other role'],
    [`reply-${T}@calndro.test`, 'wrong separator'],
    [`xreply+${T}@calndro.test`, 'prefix'],
    [`reply+${T}`, 'no domain'],
    ['', 'empty'],
  ])('%s → null (%s)', (addr) => {
    expect(findTokenAddress([addr], DOMAIN)).toBeNull();
  });

  it('tolerates junk entries', () => {
    expect(findTokenAddress([undefined as never, '<>', `reply+${T}@calndro.test`], DOMAIN)).toEqual({ role: 'reply', token: T });
    expect(findTokenAddress([], DOMAIN)).toBeNull();
  });
});

describe('bareAddress', () => {
  it('strips names, brackets and mailto, lowercases', () => {
    expect(bareAddress('Bob <Bob@Example.org>')).toBe('bob@example.org');
    expect(bareAddress(' MAILTO:a@b.c ')).toBe('a@b.c');
    expect(bareAddress('no address')).toBeNull();
  });
});
