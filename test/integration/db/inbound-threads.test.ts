// Inbound mail is read on a parse thread (INBOUND_PARSE_THREADS): a reply that came through the
// real SMTP door is parsed there and applied on the main thread; hostile mail does not kill the
// thread; a thread killed while it holds messages is replaced and none of them is lost.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { startReplyScene, type ReplyScene } from '../../helpers/reply-scene.js';
import { hostileMessages } from '../../helpers/hostile-mail.js';
import { sendAll } from '../../helpers/raw-smtp.js';
import { sleep } from '../../helpers/free-ports.js';
import { swaks } from '../../helpers/swaks.js';
import { ALICE, BOB, OWNER } from '../../helpers/fixtures.js';

let s: ReplyScene;
beforeAll(async () => {
  s = await startReplyScene({ INBOUND_PARSE_THREADS: '1' });
  // The parse thread starts with the first message read (mail-reader.ts).
  const drafts = { mailDomain: 'calndro.test', botAddresses: [], defaultSlotMinutes: 60, senderZone: null, now: new Date() };
  await s.t.server.mailReader.read({ raw: Buffer.from('From: x@example.org\r\nSubject: start\r\n\r\nhi\r\n'), mailFrom: null, rcptTo: [], drafts });
});
afterAll(() => s?.stop());

/** The one parse thread, once it runs (a replaced one starts after the pool's pause). */
async function parseThread(): Promise<Worker> {
  for (let i = 0; i < 100 && s.t.server.mailReader.workers().length === 0; i++) await sleep(50);
  const workers = s.t.server.mailReader.workers();
  expect(workers).toHaveLength(1);
  return workers[0]!;
}

/** Everything the parse thread sends back to the pool while `during` runs, as JSON. */
async function answersOf(worker: Worker, during: () => Promise<void>): Promise<string> {
  const seen: unknown[] = [];
  const listen = (message: unknown) => seen.push(message);
  worker.on('message', listen);
  try {
    await during();
  } finally {
    worker.off('message', listen);
  }
  // Slots are in µs as bigints (which JSON has not): written as their digits.
  return JSON.stringify(seen, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

const rowsOf = (eventId: number) => s.t.server.appDeps.stores.database.db.inboundMessage.findMany({ where: { eventId }, orderBy: { id: 'asc' } });
const answers = async (eventId: number) => (await s.event(eventId)).answers as Record<string, unknown[]>;

it('reads a reply that came through the SMTP door on the parse thread, and applies it', async () => {
  const { e, a } = await s.notified();
  const seen = await answersOf(await parseThread(), async () => {
    expect((await s.reply(ALICE, a, '2\n\n> the slots we sent')).ok).toBe(true);
    await s.settle();
  });
  // The thread's answer carries the facts: the extracted reply, without the quote.
  expect(seen).toContain('"subject":"Re: Quarterly review"');
  expect(seen).toContain('"reply":"2"');
  expect((await rowsOf(e.id)).map((r) => r.status)).toEqual(['applied']);
  expect(await answers(e.id)).toEqual({ [ALICE]: [e.slots[1]] });
});

it('reads the times of a mail to new@ on the parse thread; the main thread writes the draft', async () => {
  const seen = await answersOf(await parseThread(), async () => {
    const r = await swaks(s.smtpPort, ['--from', OWNER, '--to', 'new@calndro.test', '--header', `To: new@calndro.test, ${BOB}`,
      '--header', 'Subject: Threaded plan', '--header', 'Date: Mon, 3 Mar 2031 10:00:00 +0100', '--header', 'Message-Id: <threaded-plan@example.com>',
      '--body', 'Tue 11 Mar 2031 14:00-15:00\nThanks!']);
    expect(r.ok, r.output).toBe(true);
    await s.settle();
  });
  // The thread's answer carries the draft as read: its zone and the slot (2031-03-11T13:00Z, in µs).
  expect(seen).toContain('"proposal":{"sender":"owner@example.com"');
  expect(seen).toContain('"slots":[{"beginUs":"1931000400000000","durationUs":"3600000000"}]');
  expect(seen).toContain('"zone":"+01:00"');
  const db = s.t.server.appDeps.stores.database.db;
  expect(await db.inboundMessage.findUnique({ where: { dedupeKey: '<threaded-plan@example.com>' } })).toMatchObject({ status: 'answered' });
  expect(await db.draft.findMany({ where: { title: 'Threaded plan' } })).toHaveLength(1);
});

it('reads hostile mail on the same thread without losing it: every message ends in a final state', async () => {
  const { a, b } = await s.notified();
  const before = await parseThread();
  const prisma = s.t.server.appDeps.stores.database.db;
  const firstId = ((await prisma.inboundMessage.aggregate({ _max: { id: true } }))._max.id ?? 0) + 1;
  const messages = hostileMessages(33, [s.replyAddress(a), s.replyAddress(b)], 7);
  const seen = await answersOf(before, async () => {
    const codes = await sendAll(s.smtpPort, messages);
    expect(codes.filter((c) => c === 250)).toHaveLength(messages.length);
    await s.settle();
  });
  const rows = await prisma.inboundMessage.findMany({ where: { id: { gte: firstId } } });
  expect(rows.length).toBeGreaterThan(20);
  expect(rows.filter((r) => ['received', 'failed'].includes(r.status))).toEqual([]);
  expect(seen).not.toBe('[]');
  expect(await parseThread()).toBe(before);
});

it('a parse thread killed while it holds one reply is replaced; the processor tries the reply again', async () => {
  const { e, a } = await s.notified();
  const killed = await parseThread();
  // Killed as the reply is handed to it: the reply is in flight on a thread that is going away.
  await s.processTogether([{ from: ALICE, to: a, body: '1' }], () => void killed.terminate());
  expect(await parseThread()).not.toBe(killed);
  expect((await rowsOf(e.id)).map((r) => r.status)).toEqual(['applied']);
  expect(await answers(e.id)).toEqual({ [ALICE]: [e.slots[0]] });
});

it('a parse thread killed while it holds several replies is replaced; both are read again and applied', async () => {
  const { e, a, b } = await s.notified();
  const killed = await parseThread();
  await s.processTogether([{ from: ALICE, to: a, body: '1' }, { from: BOB, to: b, body: '1' }], () => void killed.terminate());
  expect(await parseThread()).not.toBe(killed);
  expect((await rowsOf(e.id)).map((r) => r.status)).toEqual(['applied', 'applied']);
  expect(await answers(e.id)).toEqual({ [ALICE]: [e.slots[0]], [BOB]: [e.slots[0]] });
});
