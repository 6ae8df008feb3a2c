// SPEC §12 in a real browser: headless Chromium in Paris opens the link from a real mail; the
// zone select is prefilled from the browser, "Save time zone" stores it, the page then shows
// the slots in Paris time with UTC beside, and the next mail to that party does too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { forEvent, launchChromium, linkIn } from '../helpers/browser.js';
import { startMailServer, type MailServer } from '../helpers/mail-server.js';
import type { MailCatcher } from '../helpers/mail-catcher.js';
import { ALICE, basic, BOB, OWNER } from '../helpers/fixtures.js';

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

describe('the zone select in a browser', () => {
  it('is prefilled from the browser, saves the zone, and the page and the next mail use it', async () => {
    const slots = [
      { begin: '2031-03-29T13:00:00Z', duration: '01:00' }, // Paris: 14:00 CET
      { begin: '2031-03-31T13:00:00Z', duration: '01:00' }, // Paris: 15:00 CEST (DST since 30 March)
    ];
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Zones', parties: [ALICE, BOB], slots } })).body;
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const first = await catcher.waitFor(forEvent(e.id, ALICE), 10_000);

    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (err) => problems.push(err.message));
    expect((await page.goto(linkIn(first)))?.status()).toBe(200);

    // No zone stored yet: the script shows the browser's zone and offers it in the select.
    await expect.poll(() => page.locator('#zone').getAttribute('data-prefilled')).toBe('Europe/Paris');
    expect(await page.locator('#zone').inputValue()).toBe('Europe/Paris');
    expect(await page.locator('#zone optgroup[label="America"] option').count()).toBeGreaterThan(100);

    await Promise.all([page.waitForURL(/zone=1/), page.getByRole('button', { name: 'Save time zone' }).click()]);
    await expect.poll(() => page.locator('#notice').innerText()).toMatch(/^Your time zone was saved/);
    expect(await page.locator('#zone-note').getAttribute('data-zone')).toBe('Europe/Paris');
    expect(await page.locator('#zone-note').innerText()).toBe('Times are shown in your time zone, Europe/Paris, with UTC beside.');
    expect(await page.locator('#zone').inputValue()).toBe('Europe/Paris');
    expect(await page.locator('#zone').getAttribute('data-source')).toBe('chosen');
    expect(await page.locator('label[for="slot-1"]').innerText()).toBe('1. Sat 29 Mar 2031, 14:00–15:00 Paris (13:00 UTC, 1 h)');
    expect(await page.locator('label[for="slot-2"]').innerText()).toBe('2. Mon 31 Mar 2031, 15:00–16:00 Paris (13:00 UTC, 1 h)');
    expect(problems).toEqual([]);
    await context.close();

    // The next mail to Alice shows Paris time with UTC beside; Bob's stays in UTC.
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const next = await catcher.waitFor((m) => forEvent(e.id, ALICE)(m) && m.parsed.messageId !== first.parsed.messageId, 10_000);
    expect(next.parsed.text).toContain('\n  1. Sat 29 Mar 2031, 14:00–15:00 Paris (13:00 UTC, 1 h)\n');
    expect(next.parsed.text).toContain('\n  2. Mon 31 Mar 2031, 15:00–16:00 Paris (13:00 UTC, 1 h)\n');
    const bobMails = () => catcher.messages.filter(forEvent(e.id, BOB));
    await expect.poll(() => bobMails().length, { timeout: 10_000 }).toBe(2);
    expect(bobMails()[1]!.parsed.text).toContain('\n  1. Sat 29 Mar 2031, 13:00–14:00 UTC (1 h)\n');
  });
});
