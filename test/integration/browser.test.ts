// SPEC §6 in a real browser: headless Chromium opens the link from a real notification mail,
// shows the times in the browser's zone (or UTC without JavaScript), and the form answers
// exactly like an e-mail reply: the list changes and the other party gets the next mail.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { forEvent, launchChromium, linkIn } from '../helpers/browser.js';
import { startMailServer, type MailServer } from '../helpers/mail-server.js';
import type { MailCatcher } from '../helpers/mail-catcher.js';
import { ALICE, basic, BOB, OWNER } from '../helpers/fixtures.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

let browser: Browser;
let t: TestServer;
let catcher: MailCatcher;
let api: MailServer['api'];

beforeAll(async () => {
  browser = await launchChromium();
  ({ t, catcher, api } = await startMailServer());
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await catcher?.stop();
});

/** A page that records what would show a broken policy: console errors (CSP reports there), script errors, Referer headers. */
async function openPage(options: BrowserContextOptions) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  const referers: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => { const ref = r.headers().referer; if (ref) referers.push(`${r.url()} ← ${ref}`); });
  return { context, page, problems, referers };
}

const labelOf = (page: Page, n: number) => page.locator(`label[for="slot-${n}"]`).innerText();

describe('the token link in a browser', () => {
  it('shows local times with JavaScript, UTC without, and the form answers in both', async () => {
    const slots = [
      { begin: '2031-03-11T14:00:00Z', duration: '01:30' }, // Tokyo: 23:00 – 00:30 next day
      { begin: '2031-03-12T01:00:00Z', duration: '01:00' },
      { begin: '2031-03-13T06:15:00Z', duration: '00:45' },
    ];
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: [ALICE, BOB], slots } })).body;
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots, sender: 'Olivia' } })).status).toBe(202);
    const aliceMail = await catcher.waitFor(forEvent(e.id, ALICE), 10_000);
    const bobFirst = await catcher.waitFor(forEvent(e.id, BOB), 10_000);

    // --- Alice, JavaScript on, in Tokyo, on a 360 px phone screen; keyboard only.
    const a = await openPage({ timezoneId: 'Asia/Tokyo', viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
    const link = linkIn(aliceMail);
    expect(link).toMatch(new RegExp(`^${t.url}/${e.id}/\\?et=`));
    const first = await a.page.goto(link);
    expect(first?.status()).toBe(200);
    await expect.poll(() => a.page.locator('html').getAttribute('data-local-times')).toBe('Asia/Tokyo');
    expect(await labelOf(a.page, 1)).toMatch(/^1\. Tue 11 Mar 2031, 23:00 – Wed 12 Mar 2031, 00:30 GMT\+9 \(1 h 30 min\)$/);
    expect(await labelOf(a.page, 2)).toMatch(/^2\. Wed 12 Mar 2031, 10:00–11:00 GMT\+9/);
    expect(await labelOf(a.page, 3)).toMatch(/^3\. Thu 13 Mar 2031, 15:15–16:00 GMT\+9/);
    expect(await a.page.locator('#zone-note').innerText()).toBe('Times are shown in your time zone, Asia/Tokyo.');
    expect(await a.page.locator('ol.log time').first().innerText()).toMatch(/GMT\+9$/);
    // Readable on a phone: nothing wider than the screen.
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Every checkbox is reachable by its label (what a screen reader announces).
    await expect.poll(() => a.page.getByRole('checkbox', { name: /^1\. Tue 11 Mar 2031, 23:00/ }).count()).toBe(1);
    expect(await a.page.getByRole('group', { name: 'Which times work for you?' }).count()).toBe(1);

    // Keyboard: focus order runs slot 1 → 2 → 3 → submit; Space unticks slot 2; Enter submits.
    await a.page.focus('#slot-1');
    await a.page.keyboard.press('Tab');
    expect(await a.page.evaluate(() => document.activeElement?.id)).toBe('slot-2');
    await a.page.keyboard.press('Space');
    expect(await a.page.isChecked('#slot-2')).toBe(false);
    expect(await a.page.isChecked('#slot-1')).toBe(true);
    await a.page.keyboard.press('Tab');
    await a.page.keyboard.press('Tab');
    expect(await a.page.evaluate(() => document.activeElement?.textContent)).toBe('Send my answer');
    await Promise.all([a.page.waitForURL(/answered=1/), a.page.keyboard.press('Enter')]);
    await expect.poll(() => a.page.locator('#notice').innerText()).toMatch(/^Your answer was saved/);
    expect(await a.page.evaluate(() => document.activeElement?.id)).toBe('notice');
    expect(await a.page.locator('input[name="slot"]').count()).toBe(2);
    mkdirSync(ARTIFACTS, { recursive: true });
    await a.page.screenshot({ path: `${ARTIFACTS}page.png`, fullPage: true });
    expect(a.problems).toEqual([]);
    expect(a.referers).toEqual([]); // the token never leaves in a Referer (sub-resources, form post)
    await a.context.close();

    let now = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(now.slots).toEqual([e.slots[0], e.slots[2]]);
    expect(now.answers).toEqual({ [ALICE]: [e.slots[0], e.slots[2]] });
    // Bob gets the next notification, a real mail with a fresh link.
    const bobNext = await catcher.waitFor((m) => forEvent(e.id, BOB)(m) && m.parsed.messageId !== bobFirst.parsed.messageId, 10_000);
    expect(bobNext.parsed.text).toContain('Quarterly review');

    // --- Bob, JavaScript off (still in Tokyo: the page says UTC and means it), mouse clicks.
    const b = await openPage({ timezoneId: 'Asia/Tokyo', javaScriptEnabled: false });
    expect((await b.page.goto(linkIn(bobNext)))?.status()).toBe(200);
    expect(await b.page.locator('html').getAttribute('data-local-times')).toBeNull();
    expect(await labelOf(b.page, 1)).toBe('1. Tue 11 Mar 2031, 14:00–15:30 UTC (1 h 30 min)');
    expect(await labelOf(b.page, 2)).toBe('2. Thu 13 Mar 2031, 06:15–07:00 UTC (45 min)');
    expect(await b.page.locator('#zone-note').innerText()).toBe('Times are shown in UTC.');
    await b.page.click('label[for="slot-2"]');
    expect(await b.page.isChecked('#slot-2')).toBe(false);
    await Promise.all([b.page.waitForURL(/answered=1/), b.page.click('button[type="submit"]')]);
    expect(await b.page.locator('#notice').innerText()).toMatch(/the event is confirmed/);
    expect(await b.page.locator('.status').innerText()).toBe('Status: Confirmed');
    expect(await b.page.locator('form').count()).toBe(0);
    expect(b.problems).toEqual([]);
    expect(b.referers).toEqual([]);
    await b.context.close();

    // One slot left and both latest answers include it: confirmed, and Alice gets the invite.
    now = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(now.slots).toEqual([e.slots[0]]);
    expect(now.status).toBe('confirmed');
    expect(now.answers).toEqual({ [ALICE]: [e.slots[0], e.slots[2]], [BOB]: [e.slots[0]] });
    const invite = await catcher.waitFor((m) => forEvent(e.id, ALICE)(m) && /METHOD:REQUEST/.test(m.raw.toString()), 10_000);
    expect(invite.parsed.messageId).not.toBe(aliceMail.parsed.messageId);
  }, 90_000);
});

describe('the organizer\'s "Book this time" (SPEC §11)', () => {
  it('only the organizer\'s page has the buttons; a click without JavaScript books the time and every party is invited once', async () => {
    const slots = [
      { begin: '2031-04-01T09:00:00Z', duration: '01:00' },
      { begin: '2031-04-02T09:00:00Z', duration: '01:00' },
      { begin: '2031-04-03T09:00:00Z', duration: '01:00' },
    ];
    const parties = [OWNER, ALICE, BOB];
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Offsite', parties, slots, respond_by: '2031-03-25T12:00:00Z' } })).body;
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties, slots: e.slots } })).status).toBe(202);
    const ownerMail = await catcher.waitFor(forEvent(e.id, OWNER), 10_000);
    const aliceMail = await catcher.waitFor(forEvent(e.id, ALICE), 10_000);

    // Alice (a party, not the organizer): no buttons.
    const a = await openPage({ javaScriptEnabled: false });
    expect((await a.page.goto(linkIn(aliceMail)))?.status()).toBe(200);
    expect(await a.page.getByRole('button', { name: /Book this time/ }).count()).toBe(0);
    expect(await a.page.locator('.deadline').innerText()).toBe('Please answer by Tue 25 Mar 2031, 12:00 UTC.');
    await a.context.close();

    // The organizer, JavaScript off: one button per slot, reachable by its name.
    const o = await openPage({ javaScriptEnabled: false });
    expect((await o.page.goto(linkIn(ownerMail)))?.status()).toBe(200);
    expect(await o.page.getByRole('button', { name: /Book this time/ }).count()).toBe(3);
    expect(await o.page.getByRole('heading', { name: 'Decide' }).count()).toBe(1);

    // Meanwhile slot 3 leaves the list: its button now answers 409 with the current list, nothing booked.
    expect((await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { slots: e.slots.slice(0, 2) } })).status).toBe(202);
    const [stale] = await Promise.all([o.page.waitForNavigation(), o.page.getByRole('button', { name: 'Book this time (3)' }).click()]);
    expect(stale?.status()).toBe(409);
    expect(await o.page.locator('#notice').innerText()).toMatch(/Nothing was changed: That slot is not in the list/);
    expect(await o.page.getByRole('button', { name: /Book this time/ }).count()).toBe(2);
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.status).toBe('open');

    await Promise.all([o.page.waitForURL(/booked=1/), o.page.getByRole('button', { name: 'Book this time (2)' }).click()]);
    expect(await o.page.locator('#notice').innerText()).toMatch(/The time is booked/);
    expect(await o.page.locator('.status').innerText()).toBe('Status: Confirmed');
    expect(await o.page.getByRole('button', { name: /Book this time/ }).count()).toBe(0);
    // The stale click's 409 is the only thing the browser reports.
    expect(o.problems.filter((p) => !/\b409\b/.test(p))).toEqual([]);
    expect(o.referers).toEqual([]);
    await o.context.close();

    const now = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(now).toMatchObject({ status: 'confirmed', slots: [e.slots[1]] });
    const log = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries;
    expect(log.filter((x: { occurrence: string }) => x.occurrence === 'CONFIRM')).toEqual([
      expect.objectContaining({ effector: OWNER, data: expect.objectContaining({ via: 'web', booked_by: OWNER }) }),
    ]);
    for (const p of parties) await catcher.waitFor((m) => forEvent(e.id, p)(m) && /METHOD:REQUEST/.test(m.raw.toString()), 10_000);
    const invites = catcher.messages.filter((m) => m.parsed.headers.get('x-calndro-event') === String(e.id) && /METHOD:REQUEST/.test(m.raw.toString()));
    expect(invites.flatMap((m) => m.envelope.to).sort()).toEqual([...parties].sort());
  }, 90_000);

  it('a booking form without its CSRF field changes nothing (403)', async () => {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: [{ begin: '2031-04-01T09:00:00Z', duration: '01:00' }] } })).body;
    const r = await fetch(`${t.url}/${e.id}/book/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${OWNER}:correct horse battery`).toString('base64')}` },
      body: 'slot=1932800400000000%2F3600000000',
    });
    expect(r.status).toBe(403);
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.status).toBe('open');
  });
});
