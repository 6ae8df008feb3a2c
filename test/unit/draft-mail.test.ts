// SPEC §10: an organizer's mail read as a draft, through the real mailparser (readMail).
import { describe, expect, it } from 'vitest';
import { readDraft, titleOfSubject, type DraftConfig } from '../../src/mail/inbound/draft-mail.js';
import { readMail } from '../../src/mail/inbound/read-mail.js';

const CFG: DraftConfig = {
  mailDomain: 'calndro.test', botAddresses: ['Calndro <calndro@calndro.test>'], defaultSlotMinutes: 60,
  senderZone: null, now: new Date('2026-01-01T00:00:00Z'),
};

function mail(headers: Record<string, string>, body: string): Buffer {
  const head = Object.entries({ 'Message-ID': '<m1@example.org>', 'Content-Type': 'text/plain; charset=utf-8', ...headers })
    .map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body.replace(/\n/g, '\r\n')}`);
}

async function draft(headers: Record<string, string>, body: string, cfg: Partial<DraftConfig> = {}) {
  const facts = await readMail(mail(headers, body), 'alice@example.org');
  return readDraft(facts!, { ...CFG, ...cfg });
}

const BASE = {
  From: 'Alice Example <Alice@Example.org>',
  To: 'new@calndro.test, "Bob B." <bob@example.org>',
  Cc: 'carol@example.net, noreply@example.com, reply+0123456789abcdef0123456789abcdef01234567@calndro.test, bounce+12-0123456789abcdef0123456789abcdef@calndro.test, calndro@calndro.test, MAILER-DAEMON@example.com, Bob@Example.org, broken@nodomain',
  Subject: 'Re: Fwd: AW: Planning',
  Date: 'Sun, 09 Mar 2031 23:30:00 -0800',
};

describe('readDraft', () => {
  it('keeps the Date header as written in the mail facts', async () => {
    const facts = await readMail(mail(BASE, 'Tuesday 10am'), null);
    expect(facts!.date).toBe('Sun, 09 Mar 2031 23:30:00 -0800');
  });

  it('takes the parties from To, Cc and From, without the bot, robots, junk or repeats', async () => {
    const d = await draft(BASE, 'Tuesday 10am');
    expect(d.sender).toBe('alice@example.org');
    expect(d.parties).toEqual(['bob@example.org', 'carol@example.net', 'alice@example.org']);
  });

  it('reads the times in the Date header\'s offset, relative to its instant', async () => {
    const d = await draft(BASE, 'Hi all,\n\nTuesday 10am\nMonday 9am for 30 min\n\nThanks,\nAlice');
    expect(d.zone).toBe('-08:00');
    expect(d.times.slots).toEqual([
      { beginUs: BigInt(Date.parse('2031-03-10T17:00:00Z')) * 1000n, durationUs: 30n * 60_000_000n },
      { beginUs: BigInt(Date.parse('2031-03-11T18:00:00Z')) * 1000n, durationUs: 60n * 60_000_000n },
    ]);
  });

  it('prefers the sender\'s known zone, and falls back to UTC without a Date offset', async () => {
    expect((await draft(BASE, 'Tuesday 10am', { senderZone: 'Europe/Paris' })).zone).toBe('Europe/Paris');
    expect((await draft({ ...BASE, Date: 'Sun, 09 Mar 2031 23:30:00 -0000' }, 'Tuesday 10am')).zone).toBe('UTC');
  });

  it('reads only the new text: quotes and signature are cut', async () => {
    const body = 'Tue 11 Mar 2031 14:00\n\n-- \nAlice\nWed 12 Mar 2031 14:00\n\nOn Sat, 8 Mar 2031, Bob wrote:\n> Thu 13 Mar 2031 14:00\n';
    const d = await draft(BASE, body);
    expect(d.text).not.toContain('Thu 13 Mar');
    expect(d.times.slots).toHaveLength(1);
  });

  it.each([
    ['Re: Fwd: AW: Planning', 'Planning'],
    ['WG: TR: RE[2]: Kickoff', 'Kickoff'],
    ['  Re:  ', null],
    ['', null],
    ['Review: Q3', 'Review: Q3'],
  ])('title of %j is %j', (subject, title) => {
    expect(titleOfSubject(subject)).toBe(title);
  });
});
