// VERP (SPEC §5): every outbox row is sent with its own envelope sender
// bounce+<row id>-<key>@MAIL_DOMAIN, the key an HMAC of the row id under SECRET_KEY. A delivery
// report then names the row it is about by the address it arrives at, and nobody without the
// secret can write such an address for a row: a forged report cannot mark mail bounced.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { subKey } from './tokens.js';

/** Local part shape: row id, dash, 32 hex characters (128 bits). Lowercase hex survives MTAs that fold case. */
export const BOUNCE_LOCAL = /^bounce\+(\d{1,15})-([0-9a-f]{32})$/i;

export interface BounceKeys {
  /** The envelope sender for this outbox row. */
  address(rowId: number): string;
  /** The outbox row an address stands for, or null when it is not a valid bounce address of ours. */
  rowOf(address: string): number | null;
}

export function createBounceKeys(secretKey: string, mailDomain: string): BounceKeys {
  const key = subKey(secretKey, 'verp-bounce');
  const domain = mailDomain.toLowerCase();
  const mac = (rowId: number) => createHmac('sha256', key).update(String(rowId)).digest().subarray(0, 16);
  return {
    address: (rowId) => `bounce+${rowId}-${mac(rowId).toString('hex')}@${domain}`,
    rowOf(address) {
      const at = address.lastIndexOf('@');
      if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) return null;
      const m = BOUNCE_LOCAL.exec(address.slice(0, at));
      if (!m) return null;
      const rowId = Number(m[1]);
      return timingSafeEqual(Buffer.from(m[2]!.toLowerCase(), 'hex'), mac(rowId)) ? rowId : null;
    },
  };
}
