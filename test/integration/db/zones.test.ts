// SPEC §12 (zones) through real peers: replies sent over the real SMTP listener (swaks), mail
// delivered by the outbox to a catcher, the page over real HTTP with a JavaScript-free form POST.
// Every later mail to a party shows the slots in that party's zone with UTC beside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplyScene, type ReplyScene } from '../../helpers/reply-scene.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';
import { ALICE, basic, BOB, OWNER, outboxRows } from '../../helpers/fixtures.js';

let s: ReplyScene;

beforeAll(async () => {
  s = await startReplyScene();
});
afterAll(async () => {
  await s?.stop();
});

const text = (m: CaughtMail) => m.parsed.text ?? '';
/** The numbered slot lines of a mail's text part. */
const slotLines = (m: CaughtMail) => text(m).split('\n').filter((l) => /^ {2}\d+\. /.test(l)).map((l) => l.trim());

/** The first mail to `who` about event `id` caught after `seen` mails to them. */
async function nextMail(who: string, id: number, seen: number): Promise<CaughtMail> {
  await s.settle();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = s.mailsTo(who, id);
    if (mails.length > seen) return mails[seen]!;
    if (Date.now() > deadline) throw new Error(`no mail #${seen + 1} to ${who} for event ${id}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Both sides of the 2031 US changes: EST (-05:00) before 9 March and after 2 November, EDT (-04:00) between.
const DST_SLOTS = [
  { begin: '2031-03-08T15:00:00Z', duration: '01:00' }, // Sat 8 Mar, 10:00 EST
  { begin: '2031-03-10T15:00:00Z', duration: '01:00' }, // Mon 10 Mar, 11:00 EDT
  { begin: '2031-11-01T15:00:00Z', duration: '01:00' }, // Sat 1 Nov, 11:00 EDT
  { begin: '2031-11-03T15:00:00Z', duration: '01:00' }, // Mon 3 Nov, 10:00 EST
];

describe('zone learned from the Date header', () => {
  it('a reply dated +0900 makes the next mails to that party show +09:00 times with UTC beside; the other party stays in UTC', async () => {
    const { e, a, b } = await s.notified();
    expect(slotLines(a)[0]).toBe('1. Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    const seenA = s.mailsTo(ALICE, e.id).length;
    const seenB = s.mailsTo(BOB, e.id).length;
    expect((await s.reply(ALICE, a, '1,2', ['Date: Tue, 11 Mar 2031 09:15:00 +0900'])).ok).toBe(true);

    const ack = await nextMail(ALICE, e.id, seenA);
    expect(text(ack)).toContain('Thanks, your answer');
    expect(text(ack)).toContain('(times in UTC+09:00, UTC beside)');
    expect(slotLines(ack)).toEqual([
      '1. Tue 11 Mar 2031, 23:00 – Wed 12 Mar 2031, 00:00 UTC+09:00 (14:00 UTC, 1 h)',
      '2. Wed 12 Mar 2031, 23:00 – Thu 13 Mar 2031, 00:00 UTC+09:00 (14:00 UTC, 1 h)',
    ]);
    const toBob = await nextMail(BOB, e.id, seenB);
    expect(slotLines(toBob)[0]).toBe('1. Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');

    // The next mail Alice gets because of someone else: Bob keeps slot 1, which confirms it.
    expect((await s.reply(BOB, toBob, '1', ['Date: Tue, 11 Mar 2031 09:20:00 +0000'])).ok).toBe(true);
    const later = await s.catcher.waitFor((m) => s.mailsTo(ALICE, e.id).includes(m) && /METHOD:REQUEST/.test(m.raw.toString()), 10_000);
    expect(text(later)).toContain('\n  Tue 11 Mar 2031, 23:00 – Wed 12 Mar 2031, 00:00 UTC+09:00 (14:00 UTC, 1 h)\n');
    expect(later.raw.toString()).toMatch(/DTSTART:20310311T140000Z/);
    const bobInvite = await s.catcher.waitFor((m) => s.mailsTo(BOB, e.id).includes(m) && /METHOD:REQUEST/.test(m.raw.toString()), 10_000);
    expect(text(bobInvite)).toContain('\n  Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)\n');
    // The outbox row carries the zone the renderer needs; the ICS stays in UTC.
    const rows = await outboxRows(s.t, e.id);
    expect(rows.filter((r) => r.recipient === ALICE).at(-1)!.payload.zone).toBe('+09:00');
    expect(rows.filter((r) => r.recipient === BOB).at(-1)!.payload.zone).toBe('+00:00');
  });
});

describe('zone learned beside what a reply does', () => {
  it('an answer stores the offset in its own write (one version step); a reply that reads as nothing still teaches it, and its help shows it', async () => {
    const { e, a, b } = await s.notified();
    const stored = async () => (await s.t.server.appDeps.stores.events.get(e.id))!;
    const before = (await stored()).version;
    expect((await s.reply(ALICE, a, '2', ['Date: Tue, 11 Mar 2031 09:15:00 +0530'])).ok).toBe(true);
    await s.settle();
    const answered = await stored();
    expect(answered.version).toBe(before + 1);
    expect(answered.zones[ALICE]).toEqual({ zone: '+05:30', source: 'learned' });
    expect(answered.answers[ALICE]).toHaveLength(1);

    const seenB = s.mailsTo(BOB, e.id).length;
    expect((await s.reply(BOB, b, 'Sounds lovely, see you there', ['Date: Tue, 11 Mar 2031 09:20:00 -0700'])).ok).toBe(true);
    const help = await nextMail(BOB, e.id, seenB);
    expect(text(help)).toContain('could not read an answer');
    expect(text(help)).toContain('UTC-07:00');
    expect((await stored()).zones[BOB]).toEqual({ zone: '-07:00', source: 'learned' });
  });
});

describe('zone chosen by a reply line', () => {
  it('`tz America/New_York` alone sets the zone, is acknowledged without help, and DST shows by the zone\'s rules', async () => {
    const { e, a } = await s.notified(DST_SLOTS);
    const seen = s.mailsTo(ALICE, e.id).length;
    expect((await s.reply(ALICE, a, 'tz America/New_York')).ok).toBe(true);
    const ack = await nextMail(ALICE, e.id, seen);
    expect(text(ack)).toContain(`Your time zone for "Quarterly review" is now America/New_York`);
    expect(text(ack)).not.toContain('could not be understood');
    expect(text(ack)).not.toContain('Thanks, your answer');
    expect(text(ack)).toContain('(times in America/New_York, UTC beside)');
    expect(slotLines(ack)).toEqual([
      '1. Sat 8 Mar 2031, 10:00–11:00 New York (15:00 UTC, 1 h)',
      '2. Mon 10 Mar 2031, 11:00–12:00 New York (15:00 UTC, 1 h)',
      '3. Sat 1 Nov 2031, 11:00–12:00 New York (15:00 UTC, 1 h)',
      '4. Mon 3 Nov 2031, 10:00–11:00 New York (15:00 UTC, 1 h)',
    ]);
    // Nothing else changed: the list and the answers are as they were.
    expect((await s.event(e.id)).slots).toHaveLength(4);

    // A later reply dated in another offset does not overwrite the chosen zone.
    expect((await s.reply(ALICE, ack, '1-3', ['Date: Tue, 11 Mar 2031 09:15:00 +0900'])).ok).toBe(true);
    const ack2 = await nextMail(ALICE, e.id, seen + 1);
    expect(slotLines(ack2)).toEqual([
      '1. Sat 8 Mar 2031, 10:00–11:00 New York (15:00 UTC, 1 h)',
      '2. Mon 10 Mar 2031, 11:00–12:00 New York (15:00 UTC, 1 h)',
      '3. Sat 1 Nov 2031, 11:00–12:00 New York (15:00 UTC, 1 h)',
    ]);
  });

  it('`time zone: Europe/Paris` beside an answer sets the zone and answers; the ack says both', async () => {
    const { e, a } = await s.notified();
    const seen = s.mailsTo(ALICE, e.id).length;
    expect((await s.reply(ALICE, a, 'time zone: Europe/Paris\n1, 3')).ok).toBe(true);
    const ack = await nextMail(ALICE, e.id, seen);
    expect(text(ack)).toContain('Thanks, your answer');
    expect(text(ack)).toContain('Your time zone is now Europe/Paris.');
    expect(slotLines(ack)).toEqual([
      '1. Tue 11 Mar 2031, 15:00–16:00 Paris (14:00 UTC, 1 h)',
      '2. Thu 13 Mar 2031, 15:00–16:00 Paris (14:00 UTC, 1 h)',
    ]);
    expect((await s.event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual(['2031-03-11T14:00:00Z', '2031-03-13T14:00:00Z']);
  });

  it('an unknown zone gets one helpful reply and changes nothing', async () => {
    const { e, a } = await s.notified();
    const seen = s.mailsTo(ALICE, e.id).length;
    expect((await s.reply(ALICE, a, 'Zeitzone: Mars/Olympus_Mons')).ok).toBe(true);
    const help = await nextMail(ALICE, e.id, seen);
    expect(text(help)).toContain('could not be understood');
    expect(text(help)).toContain('“Mars/Olympus_Mons” is not a time zone we know.');
    expect(text(help)).toContain('Europe/Paris');
    expect(slotLines(help)[0]).toBe('1. Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    await s.settle();
    expect(s.mailsTo(ALICE, e.id)).toHaveLength(seen + 1);
    expect((await s.event(e.id)).slots).toHaveLength(3);
  });
});

describe('zone chosen on the page without JavaScript', () => {
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  const page = async (url: string) => {
    const r = await fetch(url, { headers: { accept: BROWSER }, redirect: 'manual' });
    return { status: r.status, html: await r.text(), location: r.headers.get('location') };
  };
  const field = (html: string, name: string): string | undefined => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1];
  const post = (path: string, fields: Record<string, string>) => fetch(`${s.t.url}${path}`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams(fields),
    headers: { accept: BROWSER, 'content-type': 'application/x-www-form-urlencoded' },
  });

  it('the select lists grouped IANA zones; a plain POST with the page\'s CSRF sets the zone; the page and the next mail use it', async () => {
    const { e, a, b } = await s.notified();
    const link = /https?:\/\/\S+\/\?et=[0-9a-f]{40}/.exec(text(a))![0];
    const before = await page(link);
    expect(before.status).toBe(200);
    const form = /<form method="post" action="([^"]+)" class="zone-form">([\s\S]*?)<\/form>/.exec(before.html);
    expect(form).not.toBeNull();
    expect(form![1]).toBe(`/${e.id}/zone/`);
    expect(form![2]).toContain('<optgroup label="Europe">');
    expect(form![2]).toContain('<option value="America/New_York">New York</option>');
    expect(form![2]).toContain('<option value="">Choose your time zone</option>');
    expect(before.html).toContain('Times are shown in UTC.');
    const et = field(form![2]!, 'et')!;
    const csrf = field(form![2]!, 'csrf')!;

    // A zone that does not exist: 400, the page says why, nothing changes.
    const bad = await post(`/${e.id}/zone/`, { et, csrf, zone: 'Europe/Atlantis' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('is not a time zone we know');
    // A forged form: 403.
    expect((await post(`/${e.id}/zone/`, { et, csrf: 'x'.repeat(43), zone: 'Asia/Tokyo' })).status).toBe(403);

    const ok = await post(`/${e.id}/zone/`, { et, csrf, zone: 'Asia/Tokyo' });
    expect(ok.status).toBe(303);
    const after = await page(new URL(ok.headers.get('location')!, s.t.url).href);
    expect(after.status).toBe(200);
    expect(after.html).toContain('Your time zone was saved');
    expect(after.html).toContain('data-zone="Asia/Tokyo"');
    expect(after.html).toContain('<option value="Asia/Tokyo" selected>Tokyo</option>');
    expect(after.html.replace(/<[^>]+>/g, '')).toContain('Tue 11 Mar 2031, 23:00 – Wed 12 Mar 2031, 00:00 Tokyo (14:00 UTC, 1 h)');

    // The next mail to Alice (Bob answers) is in Tokyo time.
    const seen = s.mailsTo(ALICE, e.id).length;
    expect((await s.reply(BOB, b, '1,2')).ok).toBe(true);
    const next = await nextMail(ALICE, e.id, seen);
    expect(slotLines(next)).toEqual([
      '1. Tue 11 Mar 2031, 23:00 – Wed 12 Mar 2031, 00:00 Tokyo (14:00 UTC, 1 h)',
      '2. Wed 12 Mar 2031, 23:00 – Thu 13 Mar 2031, 00:00 Tokyo (14:00 UTC, 1 h)',
    ]);
  });

  it('the organizer has a zone too (signed in, no token)', async () => {
    const e = (await s.api('POST', '/', { auth: basic(OWNER), body: { title: 'Own', parties: [ALICE, OWNER], slots: DST_SLOTS } })).body;
    const r = await fetch(`${s.t.url}/${e.id}/`, { headers: { accept: BROWSER, authorization: `Basic ${Buffer.from(`${OWNER}:correct horse battery`).toString('base64')}` } });
    const html = await r.text();
    const csrf = field(html, 'csrf')!;
    const set = await fetch(`${s.t.url}/${e.id}/zone/`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ csrf, zone: 'europe/berlin' }),
      headers: { accept: BROWSER, 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${OWNER}:correct horse battery`).toString('base64')}` },
    });
    expect(set.status).toBe(303);
    await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, OWNER], slots: e.slots } });
    const mail = await s.catcher.waitFor((m) => m.envelope.to.includes(OWNER) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    expect(slotLines(mail)[0]).toBe('1. Sat 8 Mar 2031, 16:00–17:00 Berlin (15:00 UTC, 1 h)');
    const toAlice = await s.catcher.waitFor((m) => m.envelope.to.includes(ALICE) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    expect(slotLines(toAlice)[0]).toBe('1. Sat 8 Mar 2031, 15:00–16:00 UTC (1 h)');
  });
});
