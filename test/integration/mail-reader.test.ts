// The parse threads on their own (mail-reader.ts, thread-pool.ts): real threads, real mail.
// Facts read on a thread equal those read on the main thread (nothing lost crossing over); a
// thread that dies is replaced, and the messages it held are read again or fail, never hang.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailReader, type MailReader } from '../../src/mail/inbound/mail-reader.js';
import { hostileMessages } from '../helpers/hostile-mail.js';
import { sleep } from '../helpers/free-ports.js';

const CORPUS = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));
const corpus = readdirSync(CORPUS).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(CORPUS, f)));

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));
const imipReply = crlf([
  'From: bob@example.org', 'To: meet+0123456789abcdef0123456789abcdef01234567@calndro.test', 'Subject: Accepted: review',
  'Message-ID: <rsvp-1@example.org>', 'In-Reply-To: <mtg-1.1@calndro.test>', 'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Bob has accepted.', '--b',
  'Content-Type: text/calendar; method=REPLY; charset=utf-8', '', 'BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:REPLY', 'BEGIN:VEVENT',
  'UID:mtg-1@calndro.test', 'DTSTAMP:20310301T000000Z', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org', 'SEQUENCE:2',
  'END:VEVENT', 'END:VCALENDAR', '--b--', '',
]);
const reply = (n: number) => crlf([`From: a${n}@example.org`, `To: reply+${'ab'.repeat(20)}@calndro.test`, `Subject: Re: ${n}`, '', String(n), '']);

describe('reading on a parse thread', () => {
  let threaded: MailReader;
  let inline: MailReader;
  beforeAll(async () => {
    threaded = await createMailReader(2);
    inline = await createMailReader(0);
  });
  afterAll(() => threaded?.close());

  it('gives the facts the main thread gives: client replies, an iMIP REPLY, hostile mail', async () => {
    const messages = [...corpus, imipReply, ...hostileMessages(22, ['x@calndro.test']).map((m) => m.raw)];
    const here = await Promise.all(messages.map((raw) => inline.read(raw, 'someone@example.org')));
    const there = await Promise.all(messages.map((raw) => threaded.read(raw, 'someone@example.org')));
    expect(there).toEqual(here);
    expect(here.find((f) => f?.rsvp)?.rsvp).toEqual({ uid: 'mtg-1@calndro.test', attendee: 'bob@example.org', partstat: 'ACCEPTED', sequence: 2 });
    expect(here.filter((f) => f?.reply).length).toBeGreaterThan(30);
    expect(threaded.workers()).toHaveLength(2);
    expect(inline.workers()).toEqual([]);
  });
});

describe('starting the parse threads', () => {
  let reader: MailReader;
  afterAll(() => reader?.close());

  it('starts none until the first message, then all of them', async () => {
    reader = await createMailReader(2);
    await sleep(200);
    expect(reader.workers()).toEqual([]);
    expect((await reader.read(reply(7), null))?.reply).toBe('7');
    expect(reader.workers()).toHaveLength(2);
  });

  it('starts none after close', async () => {
    const closed = await createMailReader(1);
    await closed.close();
    await expect(closed.read(reply(8), null)).rejects.toThrow(/^no parse thread running$/);
    expect(closed.workers()).toEqual([]);
  });
});

describe('a parse thread that dies', () => {
  let reader: MailReader;
  beforeAll(async () => {
    reader = await createMailReader(1);
    // The thread starts with the first message.
    await reader.read(reply(0), null);
  });
  afterAll(() => reader?.close());

  async function liveThread() {
    for (let i = 0; i < 100 && reader.workers().length === 0; i++) await sleep(50);
    return reader.workers()[0]!;
  }

  it('with several messages in flight: each is read again, alone, on its replacement', async () => {
    const killed = await liveThread();
    void killed.terminate();
    // Handed over as the thread goes away: all three are in flight on it when it exits.
    const facts = await Promise.all([1, 2, 3].map((n) => reader.read(reply(n), null)));
    expect(facts.map((f) => f?.reply)).toEqual(['1', '2', '3']);
    expect(await liveThread()).not.toBe(killed);
  });

  it('with one message in flight: that one fails (it may be what kills threads), and the next thread reads on', async () => {
    const killed = await liveThread();
    void killed.terminate();
    await expect(reader.read(reply(4), null)).rejects.toThrow(/^parse thread exited \(1\)$/);
    const next = await liveThread();
    expect(next).not.toBe(killed);
    expect((await reader.read(reply(5), null))?.reply).toBe('5');
  });
});
