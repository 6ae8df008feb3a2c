// The parse threads on their own (mail-reader.ts, thread-pool.ts): real threads, real mail.
// Facts read on a thread equal those read on the main thread (nothing lost crossing over), and
// so do the drafts read from mail to new@, at the "now" the job brings; a thread that dies is
// replaced, and the messages it held are read again or fail, never hang.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailReader, type MailReader } from '../../src/mail/inbound/mail-reader.js';
import type { ParseJob } from '../../src/mail/inbound/read-inbound.js';
import { formatBegin, formatDuration } from '../../src/domain/slots.js';
import { hostileMessages } from '../helpers/hostile-mail.js';
import { sleep } from '../helpers/free-ports.js';

const CORPUS = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));
const corpus = readdirSync(CORPUS).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(CORPUS, f)));
const ORGANIZER = fileURLToPath(new URL('../fixtures/organizer/', import.meta.url));
const organizerCorpus = readdirSync(ORGANIZER).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(ORGANIZER, f)));

const NOW = new Date('2031-03-03T09:00:00Z');
const DRAFTS = { mailDomain: 'calndro.test', botAddresses: ['calndro@calndro.test'], newLocal: 'new', defaultSlotMinutes: 60, senderZone: null, now: NOW };
/** A read of `raw` as the processor asks for it; `rcptTo` the envelope. */
const job = (raw: Buffer, mailFrom: string | null, rcptTo: string[] = []): ParseJob => ({ raw, mailFrom, rcptTo, drafts: DRAFTS });

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
    const here = await Promise.all(messages.map((raw) => inline.read(job(raw, 'someone@example.org'))));
    const there = await Promise.all(messages.map((raw) => threaded.read(job(raw, 'someone@example.org'))));
    expect(there).toEqual(here);
    expect(here.find((r) => r.mail?.rsvp)?.mail?.rsvp).toEqual({ uid: 'mtg-1@calndro.test', attendee: 'bob@example.org', partstat: 'ACCEPTED', sequence: 2 });
    expect(here.filter((r) => r.mail?.reply).length).toBeGreaterThan(30);
    // None of them is addressed to new@: no time is read.
    expect(here.filter((r) => r.proposal)).toEqual([]);
    expect(threaded.workers()).toHaveLength(2);
    expect(inline.workers()).toEqual([]);
  });

  it('reads mail to new@ as a draft there too, the same as on the main thread: the organizer corpus', async () => {
    const here = await Promise.all(organizerCorpus.map((raw) => inline.read(job(raw, null, ['new@calndro.test']))));
    const there = await Promise.all(organizerCorpus.map((raw) => threaded.read(job(raw, null, ['new@calndro.test']))));
    expect(there).toEqual(here);
    expect(here.filter((r) => r.proposal?.times.slots.length).length).toBeGreaterThan(organizerCorpus.length / 2);
  });

  it('reads relative times at the "now" of the job, not at the thread\'s wall clock', async () => {
    // No Date header: "tomorrow" counts from the job's now (2031), not from the wall clock.
    const raw = Buffer.from(['From: Olga <olga@example.org>', 'To: New <NEW@calndro.test>, bob@example.com', 'Subject: Fwd: Sync',
      'Message-ID: <tomorrow@example.org>', '', 'tomorrow 10:00', 'Friday 9:30 for 30 min', ''].join('\r\n'));
    const read = await threaded.read(job(raw, 'olga@example.org'));
    expect(read).toEqual(await inline.read(job(raw, 'olga@example.org')));
    const slots = read.proposal!.times.slots.map((s) => ({ begin: formatBegin(s.beginUs), duration: formatDuration(s.durationUs) }));
    expect(slots).toEqual([{ begin: '2031-03-04T10:00:00Z', duration: '01:00:00' }, { begin: '2031-03-07T09:30:00Z', duration: '00:30:00' }]);
    expect(read.proposal).toMatchObject({ sender: 'olga@example.org', title: 'Sync', parties: ['bob@example.com', 'olga@example.org'], zone: 'UTC' });
    // A day later on the main thread's clock, the same mail is read a day later.
    const later = await threaded.read({ ...job(raw, 'olga@example.org'), drafts: { ...DRAFTS, now: new Date('2031-03-04T09:00:00Z') } });
    expect(formatBegin(later.proposal!.times.slots[0]!.beginUs)).toBe('2031-03-05T10:00:00Z');
  });
});

describe('which mail is read as a draft', () => {
  it('a reply to an event\'s reply address that copies new@ is not (dispatch starts no draft from it), the same mail without the token is', async () => {
    const reader = await createMailReader(1);
    try {
      const mail = (to: string) => Buffer.from([`From: bob@example.com`, `To: ${to}`, 'Cc: new@calndro.test', 'Subject: Re: Sync',
        'Message-ID: <cc-new@example.com>', '', 'Tue 11 Mar 14:00-15:00', ''].join('\r\n'));
      const withToken = await reader.read(job(mail('reply+0123456789abcdef0123456789abcdef01234567@calndro.test'), 'bob@example.com'));
      expect(withToken.mail).not.toBeNull();
      expect(withToken.proposal).toBeNull();
      expect((await reader.read(job(mail('olga@example.org'), 'bob@example.com'))).proposal).toMatchObject({ sender: 'bob@example.com' });
    } finally {
      await reader.close();
    }
  });
});

describe('starting the parse threads', () => {
  let reader: MailReader;
  afterAll(() => reader?.close());

  it('starts none until the first message, then all of them', async () => {
    reader = await createMailReader(2);
    await sleep(200);
    expect(reader.workers()).toEqual([]);
    expect((await reader.read(job(reply(7), null)))?.mail?.reply).toBe('7');
    expect(reader.workers()).toHaveLength(2);
  });

  it('starts none after close', async () => {
    const closed = await createMailReader(1);
    await closed.close();
    await expect(closed.read(job(reply(8), null))).rejects.toThrow(/^no parse thread running$/);
    expect(closed.workers()).toEqual([]);
  });
});

describe('a parse thread that dies', () => {
  let reader: MailReader;
  beforeAll(async () => {
    reader = await createMailReader(1);
    // The thread starts with the first message.
    await reader.read(job(reply(0), null));
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
    const facts = await Promise.all([1, 2, 3].map((n) => reader.read(job(reply(n), null))));
    expect(facts.map((f) => f.mail?.reply)).toEqual(['1', '2', '3']);
    expect(await liveThread()).not.toBe(killed);
  });

  it('with one message in flight: that one fails (it may be what kills threads), and the next thread reads on', async () => {
    const killed = await liveThread();
    void killed.terminate();
    await expect(reader.read(job(reply(4), null))).rejects.toThrow(/^parse thread exited \(1\)$/);
    const next = await liveThread();
    expect(next).not.toBe(killed);
    expect((await reader.read(job(reply(5), null)))?.mail?.reply).toBe('5');
  });
});
