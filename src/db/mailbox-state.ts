// State for the IMAP door: a lease so that exactly one instance polls a mailbox (SPEC §5),
// taken over when its holder stops renewing, and the UIDVALIDITY/UID checkpoint.
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { takeRow } from './take-row.js';
import type { MailboxState } from '../mail/inbound/ports.js';

export function createMailboxState(db: Db, serial: Serial, now: () => Date): MailboxState {
  return {
    acquireLease: (name, holder, ttlMs) => serial(async () => {
      const at = now();
      const expiresAt = new Date(at.getTime() + ttlMs);
      return takeRow(
        () => db.lease.updateMany({ where: { name, OR: [{ holder }, { expiresAt: { lt: at } }] }, data: { holder, expiresAt } }),
        () => db.lease.create({ data: { name, holder, expiresAt } }),
      );
    }),
    releaseLease: (name, holder) => serial(async () => {
      await db.lease.deleteMany({ where: { name, holder } });
    }),
    checkpoint: (mailbox) => serial(async () => {
      const row = await db.imapCheckpoint.findUnique({ where: { mailbox } });
      return row ? { uidValidity: row.uidValidity, lastUid: row.lastUid } : null;
    }),
    saveCheckpoint: (mailbox, uidValidity, lastUid) => serial(async () => {
      await db.imapCheckpoint.upsert({ where: { mailbox }, create: { mailbox, uidValidity, lastUid }, update: { uidValidity, lastUid } });
    }),
  };
}
