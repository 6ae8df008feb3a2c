// Inbound mail is stored raw before it is acknowledged (a crash after 250 OK loses nothing),
// deduplicated by Message-ID (or raw bytes), then processed and marked with its outcome.
// Event tokens in it (our quoted links and reply addresses) are stored as hashes (SPEC §1).
import { createHash } from 'node:crypto';
import { scrubTokens, scrubTokensInText } from '../security/token-scrub.js';
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import type { SqliteFastPath } from './sqlite-fast-path.js';
import type { NewRow } from './sqlite-sql.js';
import type { WalSync } from './wal-sync.js';
import type { WriteBatch } from './write-batch.js';
import type { InboundStore } from '../mail/inbound/ports.js';

/** The Message-ID from the header block, without parsing the whole message. */
export function messageIdOf(raw: Buffer): string | null {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:\s*(<[^<>\s]{1,500}>)/im.exec(block);
  return m ? m[1]! : null;
}

export function dedupeKey(raw: Buffer): string {
  return messageIdOf(raw) ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

type AcceptInput = Parameters<InboundStore['accept']>[0];

/** Both paths store only this form: the same message yields the same bytes and key. */
function scrubbed(input: AcceptInput): AcceptInput {
  return { ...input, raw: scrubTokens(input.raw), rcptTo: input.rcptTo.map(scrubTokensInText) };
}

export function createInboundStore(db: Db, serial: Serial, now: () => Date, fast?: { path: SqliteFastPath; batch: WriteBatch; walSync: WalSync }): InboundStore {
  const store = fast ? createFastInboundStore(fast.path, fast.batch, fast.walSync, now) : createPrismaInboundStore(db, serial, now);
  return {
    ...store,
    accept: async (given) => {
      const input = scrubbed(given);
      return { ...(await store.accept(input)), raw: input.raw, rcptTo: input.rcptTo };
    },
    // Rare (oversized mail), so one portable path for both databases.
    recordSkipped: (input) => serial(async () => {
      const dedupeKey = input.key.slice(0, 500);
      if (await db.inboundMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) return;
      await db.inboundMessage.create({
        data: { dedupeKey, source: input.source, mailFrom: input.mailFrom, rcptTo: '', raw: new Uint8Array(0),
          status: 'quarantined', reason: input.reason.slice(0, 1000), createdAt: now(), processedAt: now() },
      });
    }),
  };
}

type RawStore = Omit<InboundStore, 'accept' | 'recordSkipped'> & { accept(input: AcceptInput): Promise<{ id: number; duplicate: boolean }> };

function createPrismaInboundStore(db: Db, serial: Serial, now: () => Date): RawStore {
  return {
    accept: (input) => serial(async () => {
      const key = dedupeKey(input.raw);
      const existing = await db.inboundMessage.findUnique({ where: { dedupeKey: key }, select: { id: true } });
      if (existing) return { id: existing.id, duplicate: true };
      try {
        const row = await db.inboundMessage.create({
          data: { dedupeKey: key, source: input.source, mailFrom: input.mailFrom, rcptTo: input.rcptTo.join(', ').slice(0, 2000), raw: new Uint8Array(input.raw), createdAt: now() },
          select: { id: true },
        });
        return { id: row.id, duplicate: false };
      } catch (e) {
        // Two instances received the same message at once (PostgreSQL): the other one won.
        const again = await db.inboundMessage.findUnique({ where: { dedupeKey: key }, select: { id: true } });
        if (again) return { id: again.id, duplicate: true };
        throw e;
      }
    }),
    get: (id) => serial(async () => {
      const r = await db.inboundMessage.findUnique({ where: { id } });
      return r ? { id: r.id, source: r.source, mailFrom: r.mailFrom, rcptTo: r.rcptTo, raw: Buffer.from(r.raw), status: r.status } : null;
    }),
    unprocessed: (limit, afterId = 0) => serial(async () =>
      (await db.inboundMessage.findMany({ where: { status: 'received', id: { gt: afterId } }, select: { id: true }, orderBy: { id: 'asc' }, take: limit })).map((r) => r.id)),
    finish: (id, status, reason, eventId) => serial(async () => {
      await db.inboundMessage.updateMany({ where: { id, status: 'received' }, data: { status, reason: reason?.slice(0, 1000) ?? null, eventId, processedAt: now() } });
    }),
  };
}

/** SQLite: the same contract on prepared statements (the inbound door's hot path). */
function createFastInboundStore(fast: SqliteFastPath, batch: WriteBatch, walSync: WalSync, now: () => Date): RawStore {
  return {
    // Messages arriving together share one commit (the write batch) and one WAL sync, so
    // durability before 250 OK costs neither an fsync per message nor a blocked event loop.
    accept: async (input) => {
      // A known key is answered inside the write (the stored message's id): no read before it.
      const key = dedupeKey(input.raw);
      const row: NewRow<'InboundMessage'> = { dedupeKey: key, source: input.source, mailFrom: input.mailFrom,
        rcptTo: input.rcptTo.join(', ').slice(0, 2000), raw: input.raw as Uint8Array<ArrayBuffer>, createdAt: now() };
      const stored = await batch(() => {
        const id = fast.insertInbound([row])[0];
        return id == null ? { id: fast.inboundByKey(key)!, duplicate: true } : { id, duplicate: false };
      });
      await walSync();
      return stored;
    },
    get: async (id) => {
      const r = fast.inbound(id);
      return r ? { ...r, raw: Buffer.from(r.raw) } : null;
    },
    unprocessed: async (limit, afterId = 0) => fast.unprocessedInbound(limit, afterId),
    finish: (id, status, reason, eventId) => batch(() => void fast.finishInbound(id, status, reason, eventId, now())),
  };
}
