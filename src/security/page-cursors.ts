// Cursors of keyset pages (SPEC §13; the CursorCodec port): base64url of the id (4 bytes,
// big-endian) and an HMAC-SHA256 of that id and the scope under a key derived from SECRET_KEY,
// cut to 96 bits: 16 bytes, always 22 characters. The id is not secret (the page showed it);
// the MAC is what makes the cursor ours and binds it to the list or log it pages, so a cursor
// written by hand, edited, or taken to another list or event's log decodes to nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CursorCodec } from '../domain/ports.js';
import { subKey } from './tokens.js';

const ID_BYTES = 4;
const MAC_BYTES = 12;
/** 16 bytes as unpadded base64url. */
const CURSOR = /^[A-Za-z0-9_-]{22}$/;
/** Ids are 32-bit (Prisma's Int is PostgreSQL's integer). */
const MAX_ID = 2_147_483_647;

export function createCursorCodec(secretKey: string): CursorCodec {
  const key = subKey(secretKey, 'page-cursor');
  // The id first, at its fixed width, then the scope: one message per (id, scope).
  const mac = (scope: string, id: Buffer) => createHmac('sha256', key).update(id).update(scope, 'utf8').digest().subarray(0, MAC_BYTES);
  return {
    encode(scope, id) {
      if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw new RangeError(`No cursor for id ${id}`);
      const bytes = Buffer.alloc(ID_BYTES + MAC_BYTES);
      bytes.writeUInt32BE(id, 0);
      mac(scope, bytes.subarray(0, ID_BYTES)).copy(bytes, ID_BYTES);
      return bytes.toString('base64url');
    },
    decode(scope, cursor) {
      if (!CURSOR.test(cursor)) return null;
      const bytes = Buffer.from(cursor, 'base64url');
      // Canonical spelling only: base64url decoding forgives the last character's stray bits.
      if (bytes.length !== ID_BYTES + MAC_BYTES || bytes.toString('base64url') !== cursor) return null;
      const id = bytes.readUInt32BE(0);
      if (id < 1 || id > MAX_ID) return null;
      return timingSafeEqual(bytes.subarray(ID_BYTES), mac(scope, bytes.subarray(0, ID_BYTES))) ? id : null;
    },
  };
}
