// The keyset cursor (src/domain/paging.ts, src/security/page-cursors.ts): opaque to clients, one
// spelling per position, bound to the list or log it pages, and anything else refused (the HTTP
// door answers 400 { cursor: [...] }).
import { describe, expect, it } from 'vitest';
import { cursorScope, readBefore, readPage, toPage } from '../../src/domain/paging.js';
import { DomainError } from '../../src/domain/errors.js';
import { createCursorCodec } from '../../src/security/page-cursors.js';

const cursors = createCursorCodec('k'.repeat(44));
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');

describe('cursor', () => {
  it('names the id it was made from in its scope, up to the largest 32-bit id; URL-safe and 22 characters', () => {
    for (const scope of [cursorScope.events, cursorScope.log(7), cursorScope.olderLog(7)]) {
      for (const id of [1, 42, 2_147_483_647]) {
        const cursor = cursors.encode(scope, id);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(cursors.decode(scope, cursor)).toBe(id);
      }
    }
    expect(() => cursors.encode('events', 0)).toThrow(RangeError);
    expect(() => cursors.encode('events', 2 ** 31)).toThrow(RangeError);
  });

  it('is good only where it was made: not on the list, another event\'s log, or the log read the other way', () => {
    const cursor = cursors.encode(cursorScope.log(7), 42);
    for (const scope of [cursorScope.events, cursorScope.log(8), cursorScope.log(70), cursorScope.olderLog(7)]) {
      expect(cursors.decode(scope, cursor), scope).toBeNull();
    }
  });

  it('is keyed by SECRET_KEY: another key\'s cursor is refused', () => {
    expect(createCursorCodec('j'.repeat(44)).decode('events', cursors.encode('events', 42))).toBeNull();
  });

  it('refuses what it did not make: the old plain ids, garbage, edits, other spellings of the same bytes', () => {
    const good = cursors.encode('events', 5);
    const bytes = Buffer.from(good, 'base64url');
    const withId = (id: number) => { const b = Buffer.from(bytes); b.writeUInt32BE(id >>> 0, 0); return b64(b); };
    const flipped = Buffer.from(bytes);
    flipped[15]! ^= 1;
    const strayBits = good.slice(0, 21) + String.fromCharCode(good.charCodeAt(21) + 1);
    expect(Buffer.from(strayBits, 'base64url')).toEqual(bytes); // the same bytes, another spelling
    for (const bad of ['', 'azE', b64('k5'), b64('k1'), `${good}=`, `${good}A`, good.slice(0, 21), ` ${good.slice(1)}`, good.replace(/./, '%'),
      withId(6), withId(0), withId(2 ** 31), b64(flipped), strayBits, 'A'.repeat(22), 'A'.repeat(1000)]) {
      expect(cursors.decode('events', bad), bad).toBeNull();
    }
  });
});

describe('reading a page query', () => {
  const fields = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return (err as DomainError).details.fields;
    }
    throw new Error('no error');
  };

  it('decodes a cursor of its scope; refuses another scope\'s with the other fields\' messages', () => {
    expect(readPage({}, cursors, 'events')).toEqual({ limit: 100 });
    expect(readPage({ limit: '5', cursor: cursors.encode('events', 9) }, cursors, 'events')).toEqual({ limit: 5, after: 9 });
    expect(readBefore({ before: cursors.encode(cursorScope.olderLog(3), 9) }, cursors, cursorScope.olderLog(3))).toBe(9);
    expect(readBefore({}, cursors, cursorScope.olderLog(3))).toBeUndefined();
    const fromLog = cursors.encode(cursorScope.log(3), 9);
    expect(() => readPage({ cursor: fromLog }, cursors, 'events')).toThrow(DomainError);
    expect(() => readPage({ cursor: ['a', 'b'] }, cursors, 'events')).toThrow(DomainError);
    expect(() => readBefore({ before: fromLog }, cursors, cursorScope.olderLog(3))).toThrow(DomainError);
    expect(fields(() => readPage({ limit: '0', cursor: fromLog }, cursors, 'events')))
      .toEqual({ limit: ['Ensure this value is greater than or equal to 1.'], cursor: ['Invalid cursor.'] });
  });
});

describe('toPage', () => {
  it('one row more than the limit means a next page, which starts after the last one kept', () => {
    expect(toPage([{ id: 3 }, { id: 5 }, { id: 9 }], 2, cursors, 'events')).toEqual({ items: [{ id: 3 }, { id: 5 }], next: cursors.encode('events', 5) });
    expect(toPage([{ id: 3 }, { id: 5 }], 2, cursors, 'events')).toEqual({ items: [{ id: 3 }, { id: 5 }], next: null });
    expect(toPage([], 2, cursors, 'events')).toEqual({ items: [], next: null });
  });
});
