// The inbound queue is bounded: while processing is held back, accepted mail does not pile up
// in memory (the queue holds content only within a byte budget, ids only up to a count; the rest
// is read back from storage), and a stored message the processor was never handed (its store
// call failed after the commit, or it came again as a duplicate) is processed without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createInboundProcessor, type ProcessorOptions } from '../../../src/mail/inbound/processor.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTestDatabase } from '../../helpers/database.js';
import { client } from '../../helpers/api.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, tokenFor } from '../../helpers/fixtures.js';
import { freePort, sleep } from '../../helpers/free-ports.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const db = await createTestDatabase();
let t: TestServer;
let smtpPort: number;
beforeAll(async () => {
  smtpPort = await freePort();
  t = await startTestServer({ SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort) }, db);
  await addStandardUsers(t);
});
afterAll(async () => {
  await t?.stop();
  await db.drop();
});

const cfg = { mailDomain: 'calndro.test', mailFrom: 'calndro@calndro.test', helpPerHour: 3, bounceRowOf: () => null };

/** An event with two slots, ALICE and BOB notified; ALICE's replies "2" (with `padding` bytes of attachment) as the SMTP door gets them. */
async function replyTo(name: string) {
  const api = client(t.url);
  const slots = [{ begin: '2031-06-01T10:00:00Z', duration: '01:00' }, { begin: '2031-06-02T10:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: name, parties: [ALICE, BOB], slots } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
  const to = `reply+${await tokenFor(t, e.id, ALICE)}@calndro.test`;
  const raw = (i: number, padding = 0) => {
    const filler = padding ? Buffer.alloc(padding * 3 / 4, i % 256).toString('base64').match(/.{1,76}/g)!.join('\r\n') : '';
    return Buffer.from([`From: ${ALICE}`, `To: ${to}`, `Subject: Re: ${name}`, `Message-ID: <${name}-${i}@example.com>`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
      '--b', 'Content-Type: text/plain', '', '2', '',
      '--b', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', filler, '--b--', ''].join('\r\n'));
  };
  return { e, to, raw };
}

const rowsOf = (ids: number[]) => t.server.appDeps.stores.database.db.inboundMessage.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });

/** A processor whose reading waits until `release()` (a slow or stuck parse thread). */
function heldBack(opts: Partial<ProcessorOptions>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let reads = 0;
  const read: ProcessorOptions['read'] = async (job) => {
    reads++;
    await gate;
    return t.server.mailReader.read(job);
  };
  const { inbound, outbox } = t.server.appDeps.stores;
  const asked: number[] = [];
  const store = { ...inbound, unprocessed: async (limit: number, afterId?: number) => {
    asked.push(afterId ?? 0);
    return inbound.unprocessed(limit, afterId);
  } };
  const processor = createInboundProcessor(t.server.appDeps.deps, store, outbox, cfg, { concurrency: 4, read, ...opts });
  return { processor, release, asked, reads: () => reads };
}

describe('with processing held back', () => {
  it('holds at most the byte budget of accepted content, reads the rest back, and applies every message', async () => {
    const budget = 1_000_000;
    const size = 300_000;
    const count = 30;
    const { to, raw } = await replyTo('big');
    const { processor, release } = heldBack({ heldBytes: budget });
    const ids: number[] = [];
    const given: WeakRef<Buffer>[] = [];
    let most = 0;
    for (let i = 0; i < count; i++) {
      // As the SMTP door does: stored, then handed over with its stored content.
      const stored = await t.server.appDeps.stores.inbound.accept({ raw: raw(i, size), source: 'smtp', mailFrom: ALICE, rcptTo: [to] });
      expect(stored.raw.length).toBeGreaterThan(size);
      ids.push(stored.id);
      given.push(new WeakRef(stored.raw));
      processor.enqueue(stored.id, { raw: stored.raw, mailFrom: ALICE, rcptTo: stored.rcptTo });
      await sleep(5);
      most = Math.max(most, processor.heldBytes());
    }
    // Content handed over and still reachable: only what the processor kept.
    await sleep(20);
    gc();
    await sleep(20);
    gc();
    const alive = given.reduce((n, ref) => n + (ref.deref()?.length ?? 0), 0);
    // (Plus the last one handed over, which may still be reachable outside the processor.)
    expect(alive).toBeLessThanOrEqual(budget + size * 1.1);
    // Within the budget, plus the one message read back while below it.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(budget + size * 1.1);

    release();
    const sampling = setInterval(() => { most = Math.max(most, processor.heldBytes()); }, 1);
    await processor.idle();
    clearInterval(sampling);
    expect(most).toBeLessThanOrEqual(budget + size * 1.1);
    expect(processor.heldBytes()).toBe(0);
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
  }, 60_000);

  it('keeps at most maxQueued ids; the rest are read back from storage in pages, each processed once', async () => {
    const count = 40;
    const { e, to, raw } = await replyTo('many');
    const { processor, release, asked } = heldBack({ maxQueued: 5, recoveryPage: 7, concurrency: 2 });
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const stored = await t.server.appDeps.stores.inbound.accept({ raw: raw(i), source: 'smtp', mailFrom: ALICE, rcptTo: [to] });
      ids.push(stored.id);
      processor.enqueue(stored.id, { raw: stored.raw, mailFrom: ALICE, rcptTo: stored.rcptTo });
    }
    // Beyond the 2 running and the 5 queued, nothing is held: read back from the first left out.
    expect(asked).toEqual([]);
    release();
    await processor.idle();
    expect(asked[0]).toBe(ids[7]! - 1);
    const rows = await rowsOf(ids);
    expect(rows.filter((r) => r.status === 'applied')).toHaveLength(count);
    // Each message was applied by its own write, once: one UPDATE per inbound message.
    const entries = (await client(t.url)('GET', `/${e.id}/log/?limit=200`, { auth: basic(OWNER) })).body.entries as { occurrence: string; data: { via: string; inbound_id?: number } }[];
    const byMessage = entries.filter((x) => x.occurrence === 'UPDATE' && x.data.via === 'email').map((x) => x.data.inbound_id);
    expect(byMessage.sort((a, b) => a! - b!)).toEqual(ids);
  }, 60_000);
});

describe('a failed read of the stored backlog', () => {
  it('is read again from the same place after the retry delay, not left for the next start', async () => {
    const { to, raw } = await replyTo('page-fault');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.server.appDeps.stores.inbound.accept({ raw: raw(i), source: 'smtp', mailFrom: ALICE, rcptTo: [to] })).id);
    const { inbound, outbox } = t.server.appDeps.stores;
    // The one fault injected: the first page read fails (a database that answered with an error).
    const asked: number[] = [];
    const store = { ...inbound, unprocessed: async (limit: number, afterId?: number) => {
      asked.push(afterId ?? 0);
      if (asked.length === 1) throw new Error('connection reset (injected)');
      return inbound.unprocessed(limit, afterId);
    } };
    const processor = createInboundProcessor(t.server.appDeps.deps, store, outbox, cfg,
      { concurrency: 2, read: t.server.mailReader.read, retryDelaysMs: [50, 50, 50] });
    await processor.recover();
    await processor.idle();
    expect(asked.slice(0, 2)).toEqual([0, 0]);
    expect((await rowsOf(ids)).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    await processor.stop();
  }, 30_000);
});

describe('a stored message the processor was not handed', () => {
  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

  it('sent again (a duplicate) while still received, is processed without a restart', async () => {
    const { to, raw } = await replyTo('resent');
    const message = raw(1);
    // What a store whose WAL sync failed after the commit leaves: stored, never handed over.
    const stored = await t.server.appDeps.stores.inbound.accept({ raw: message, source: 'smtp', mailFrom: ALICE, rcptTo: [to] });
    await sleep(200);
    expect((await rowsOf([stored.id]))[0]!.status).toBe('received');
    // The sender's retry: answered as a duplicate, and the stored message is processed.
    const tr = transport();
    await tr.sendMail({ envelope: { from: ALICE, to: [to] }, raw: message });
    tr.close();
    await t.server.inbound.idle();
    expect((await rowsOf([stored.id]))[0]!.status).toBe('applied');
  });

  it('whose store call failed after storing it, is processed without a retry or a restart', async () => {
    const { to, raw } = await replyTo('failed-sync');
    const inbound = t.server.appDeps.stores.inbound;
    const accept = inbound.accept;
    let storedId = 0;
    inbound.accept = async (input) => {
      const stored = await accept(input);
      storedId = stored.id;
      throw new Error('fdatasync failed (injected, after the commit)');
    };
    try {
      const tr = transport();
      await expect(tr.sendMail({ envelope: { from: ALICE, to: [to] }, raw: raw(1) })).rejects.toMatchObject({ responseCode: 451 });
      tr.close();
    } finally {
      inbound.accept = accept;
    }
    expect(storedId).toBeGreaterThan(0);
    const end = Date.now() + 10_000;
    while ((await rowsOf([storedId]))[0]!.status === 'received' && Date.now() < end) await sleep(50);
    expect((await rowsOf([storedId]))[0]!.status).toBe('applied');
  });
});
