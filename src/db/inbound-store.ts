// Inbound mail is stored raw before it is acknowledged (a crash after 250 OK loses nothing),
// deduplicated by Message-ID (or raw bytes), then processed and marked with its outcome.
import { createHash } from 'node:crypto';
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import type { InboundInsert, SqliteFastPath } from './sqlite-fast-path.js';

export type InboundStatus = 'received' | 'applied' | 'answered' | 'quarantined' | 'ignored' | 'bounce' | 'failed';

export interface InboundRow {
  id: number;
  source: string;
  mailFrom: string | null;
  rcptTo: string;
  raw: Buffer;
  status: string;
}

export interface InboundStore {
  /** Stores a message; `duplicate` when one with the same key exists (it is not stored again). */
  accept(input: { raw: Buffer; source: 'smtp' | 'imap'; mailFrom: string | null; rcptTo: string[] }): Promise<{ id: number; duplicate: boolean }>;
  get(id: number): Promise<InboundRow | null>;
  /** Messages stored but not processed (e.g. the process died in between). */
  unprocessed(limit: number): Promise<number[]>;
  finish(id: number, status: InboundStatus, reason: string | null, eventId: number | null): Promise<void>;
}

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

export function createInboundStore(db: Db, serial: Serial, fast?: SqliteFastPath): InboundStore {
  if (fast) return createFastInboundStore(fast, serial);
  return {
    accept: (input) => serial(async () => {
      const key = dedupeKey(input.raw);
      const existing = await db.inboundMessage.findUnique({ where: { dedupeKey: key }, select: { id: true } });
      if (existing) return { id: existing.id, duplicate: true };
      try {
        const row = await db.inboundMessage.create({
          data: { dedupeKey: key, source: input.source, mailFrom: input.mailFrom, rcptTo: input.rcptTo.join(', ').slice(0, 2000), raw: new Uint8Array(input.raw) },
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
    unprocessed: (limit) => serial(async () =>
      (await db.inboundMessage.findMany({ where: { status: 'received' }, select: { id: true }, orderBy: { id: 'asc' }, take: limit })).map((r) => r.id)),
    finish: (id, status, reason, eventId) => serial(async () => {
      await db.inboundMessage.update({ where: { id }, data: { status, reason: reason?.slice(0, 1000) ?? null, eventId, processedAt: new Date() } });
    }),
  };
}

/** SQLite: the same contract on prepared statements (the inbound door's hot path). */
function createFastInboundStore(fast: SqliteFastPath, serial: Serial): InboundStore {
  // Group commit: messages arriving together share one synced commit (one fsync), so
  // durability before 250 OK does not cost an fsync per message.
  let batch: { row: InboundInsert; done: (r: { id: number; duplicate: boolean }) => void; fail: (e: unknown) => void }[] = [];
  const flush = () => serial(async () => {
    const items = batch;
    batch = [];
    try {
      const ids = fast.insertInbound(items.map((i) => i.row));
      items.forEach((item, n) => {
        const id = ids[n];
        item.done(id == null ? { id: fast.inboundByKey(item.row.dedupeKey)!, duplicate: true } : { id, duplicate: false });
      });
    } catch (e) {
      items.forEach((item) => item.fail(e));
    }
  });
  return {
    accept: (input) => {
      const key = dedupeKey(input.raw);
      const existing = fast.inboundByKey(key);
      if (existing !== null) return Promise.resolve({ id: existing, duplicate: true });
      return new Promise((done, fail) => {
        if (batch.length === 0) setImmediate(() => void flush());
        batch.push({ row: { dedupeKey: key, source: input.source, mailFrom: input.mailFrom,
          rcptTo: input.rcptTo.join(', ').slice(0, 2000), raw: input.raw, now: new Date() }, done, fail });
      });
    },
    get: async (id) => {
      const r = fast.inbound(id);
      return r ? { ...r, raw: Buffer.from(r.raw) } : null;
    },
    unprocessed: async (limit) => fast.unprocessedInbound(limit),
    finish: (id, status, reason, eventId) => serial(async () => fast.finishInbound(id, status, reason?.slice(0, 1000) ?? null, eventId, new Date())),
  };
}
