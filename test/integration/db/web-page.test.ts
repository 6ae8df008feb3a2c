// SPEC §3 (last paragraph) and §6 over real HTTP: the web page behind the token link, its
// JavaScript-free form POST (same answer as an e-mail reply), and its error pages.
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { linkToken as linkTokenOf, startMailServer, type MailServer } from '../../helpers/mail-server.js';
import type { MailCatcher } from '../../helpers/mail-catcher.js';
import { ALICE, basic, BOB, OWNER, outboxRows } from '../../helpers/fixtures.js';
import { sha256Hex } from '../../../src/security/tokens.js';

let t: TestServer;
let catcher: MailCatcher;
let api: MailServer['api'];

// What Firefox and Chromium send when following a link.
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const S1 = { begin: '2031-03-11T16:00:00+02:00', duration: '01:30' }; // 14:00Z
const S2 = { begin: '2031-03-12T23:30:00Z', duration: '01:00' }; // crosses midnight UTC
const S3 = { begin: '2031-03-14T09:00:00Z', duration: '00:45' };

beforeAll(async () => {
  ({ t, catcher, api } = await startMailServer());
});
afterAll(async () => {
  await t?.stop();
  await catcher?.stop();
});

async function createNotified(slots = [S1, S2, S3], parties = [ALICE, BOB]) {
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Budget <review> & "lunch"', parties, slots } })).body;
  expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties, slots: e.slots } })).status).toBe(202);
  return e as { id: number; slots: { begin: string; duration: string }[] };
}

const linkToken = (id: number, who: string) => linkTokenOf(catcher, id, who);

const detail = async (id: number) => (await api('GET', `/${id}/`, { auth: basic(OWNER) })).body;
const logOf = async (id: number) =>
  (await api('GET', `/${id}/log/`, { auth: basic(OWNER) })).body.entries as { occurrence: string; effector: string | null; data: Record<string, unknown> }[];

interface Page { status: number; headers: Headers; html: string }

async function page(path: string, headers: Record<string, string> = {}): Promise<Page> {
  const r = await fetch(`${t.url}${path}`, { headers: { accept: BROWSER, ...headers }, redirect: 'manual' });
  return { status: r.status, headers: r.headers, html: await r.text() };
}

const unescape = (s: string) =>
  s.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function hidden(html: string, name: string): string | undefined {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  return m ? unescape(m[1]!) : undefined;
}

/** The form as a browser would see it: action, hidden fields, the checkboxes with their labels. */
function formOf(html: string) {
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error(`no form in page:\n${html}`);
  const boxes = [...html.matchAll(/<input type="checkbox" id="([^"]+)" name="slot" value="([^"]+)"[^>]*?( checked)?>\s*<label for="([^"]+)">([\s\S]*?)<\/label>/g)]
    .map((m) => ({ id: m[1]!, value: unescape(m[2]!), checked: Boolean(m[3]), labelFor: m[4]!, label: unescape(m[5]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() }));
  return { action: unescape(action), et: hidden(html, 'et'), csrf: hidden(html, 'csrf'), version: hidden(html, 'version'), boxes };
}

/** A plain HTML form submission (what a browser does with JavaScript off). */
async function submit(action: string, fields: [string, string | undefined][]) {
  const body = new URLSearchParams(fields.filter((f): f is [string, string] => f[1] !== undefined));
  const r = await fetch(`${t.url}${action}`, {
    method: 'POST', redirect: 'manual', body,
    headers: { accept: BROWSER, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: r.status, headers: r.headers, html: await r.text() };
}

function expectPageHeaders(h: Headers) {
  expect(h.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
  expect(h.get('content-security-policy')).toBe(CSP);
  expect(h.get('referrer-policy')).toBe('no-referrer');
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options')).toBe('DENY');
  expect(h.get('cache-control')).toBe('no-store');
}

/** GET over node:http, which (unlike fetch) can leave the Accept header out entirely. */
function rawGet(path: string, accept?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${t.url}${path}`, { headers: accept === undefined ? {} : { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('content negotiation', () => {
  it('gives browsers the page and curl/httpie/API clients JSON', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const html = await rawGet(`/${e.id}/?et=${et}`, BROWSER);
    expect(html.status).toBe(200);
    expect(html.type).toMatch(/^text\/html/);
    expect(html.body).toMatch(/^<!DOCTYPE html>/);
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, */*;q=0.5', 'text/html;q=0.5, application/json']) {
      const r = await rawGet(`/${e.id}/?et=${et}`, accept);
      expect(r.status, `Accept: ${accept}`).toBe(200);
      expect(r.type, `Accept: ${accept}`).toMatch(/^application\/json/);
      expect(JSON.parse(r.body).id).toBe(e.id);
    }
  });
});

describe('the page', () => {
  it('shows title, parties, numbered slots in UTC with labelled checkboxes, the log, and safe headers', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const p = await page(`/${e.id}/?et=${et}`);
    expect(p.status).toBe(200);
    expectPageHeaders(p.headers);
    expect(p.html).toContain('<html lang="en">');
    expect(p.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // The title is escaped, never markup.
    expect(p.html).toContain('<h1>Budget &lt;review&gt; &amp; &quot;lunch&quot;</h1>');
    expect(p.html).not.toContain('<review>');
    expect(p.html).toContain(ALICE);
    expect(p.html).toContain(BOB);
    // No inline script or style (the CSP would block them): only the two static files.
    expect([...p.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="/static/page.js" defer>']);
    expect(p.html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(p.html).toContain('<link rel="stylesheet" href="/static/page.css">');
    // A real form: fieldset + legend, each checkbox labelled, numbered as in the mail, UTC spelled out.
    expect(p.html).toMatch(/<fieldset[^>]*>\s*<legend>[^<]+<\/legend>/);
    const form = formOf(p.html);
    expect(form.action).toBe(`/${e.id}/answer/`);
    expect(form.et).toBe(et);
    expect(form.csrf).toMatch(/^[\w-]{40,}$/);
    expect(form.version).toMatch(/^[0-9a-f]{16}$/);
    expect(form.boxes.map((b) => [b.id, b.labelFor, b.checked])).toEqual([['slot-1', 'slot-1', true], ['slot-2', 'slot-2', true], ['slot-3', 'slot-3', true]]);
    expect(form.boxes.map((b) => b.label)).toEqual([
      '1. Tue 11 Mar 2031, 14:00–15:30 UTC (1 h 30 min)',
      '2. Wed 12 Mar 2031, 23:30 – Thu 13 Mar 2031, 00:30 UTC (1 h)',
      '3. Fri 14 Mar 2031, 09:00–09:45 UTC (45 min)',
    ]);
    expect(p.html).toContain('<time datetime="2031-03-11T14:00:00.000Z">');
    expect(p.html).toMatch(/role="status"/);
    // The log, with the VIEW this request wrote (via web, the token's fingerprint, never the token).
    expect(p.html).toMatch(/<strong class="occ">VIEW<\/strong>[^]*?by alice@example\.com[^]*?via web/);
    expect(p.html).toMatch(/<strong class="occ">NOTIFY<\/strong>/);
    const view = (await logOf(e.id)).filter((x) => x.occurrence === 'VIEW');
    expect(view).toHaveLength(1);
    expect(view[0]).toMatchObject({ effector: ALICE, data: { via: 'web', token: expect.stringMatching(/^[0-9a-f]{12}$/) } });
    expect(JSON.stringify(view)).not.toContain(et);
  });

  it('serves its script and stylesheet as files (CSP script-src/style-src self)', async () => {
    const js = await fetch(`${t.url}/static/page.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toContain('Intl.DateTimeFormat');
    const css = await fetch(`${t.url}/static/page.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain(':focus-visible');
    expect((await fetch(`${t.url}/static/..%2Fpage.hbs`)).status).toBe(404);
  });

  it('also works for a signed-in party or owner (Basic), without a token in the form', async () => {
    const e = await createNotified();
    const p = await page(`/${e.id}/`, { authorization: `Basic ${Buffer.from(`${OWNER}:correct horse battery`).toString('base64')}` });
    expect(p.status).toBe(200);
    const form = formOf(p.html);
    expect(form.et).toBeUndefined();
    expect(form.csrf).toBeTruthy();
  });
});

describe('answering with the form (no JavaScript)', () => {
  it('applies the answer like a reply: PATCH + notify the others, answer recorded, then 303 back to the page', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const before = await outboxRows(t, e.id);
    const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
    // Untick slot 2: a browser sends only the ticked boxes.
    const r = await submit(form.action, [['et', form.et], ['csrf', form.csrf], ['version', form.version],
      ['slot', form.boxes[0]!.value], ['slot', form.boxes[2]!.value]]);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/${e.id}/?et=${et}&answered=1`);
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');

    const after = await page(r.headers.get('location')!);
    expect(after.status).toBe(200);
    expect(after.html).toMatch(/role="status"[^>]*><p>Your answer was saved/);
    expect(formOf(after.html).boxes.map((b) => b.label.slice(0, 5))).toEqual(['1. Tu', '2. Fr']);
    expect(after.html).toContain('<strong>(you)</strong>: answered: slot 1, 2');

    const now = await detail(e.id);
    expect(now.slots).toEqual([e.slots[0], e.slots[2]]);
    expect(now.answers).toEqual({ [ALICE]: [e.slots[0], e.slots[2]] });
    expect(now.status).toBe('open');
    const log = await logOf(e.id);
    const update = log.filter((x) => x.occurrence === 'UPDATE').at(-1)!;
    expect(update).toMatchObject({ effector: ALICE, data: { via: 'web' } });
    expect(log.filter((x) => x.effector === ALICE && x.occurrence !== 'VIEW')).toMatchObject([
      { occurrence: 'UPDATE', data: { via: 'web' } },
      { occurrence: 'NOTIFY', data: { via: 'web', recipient: BOB, sender: ALICE } },
    ]);
    // Exactly one new mail, to the other party, and it really goes out.
    const added = (await outboxRows(t, e.id)).slice(before.length);
    expect(added.map((x) => [x.kind, x.recipient])).toEqual([['proposal', BOB]]);
    const mail = await catcher.waitFor((m) => m.parsed.messageId === added[0]!.messageId, 10_000);
    expect(mail.envelope.to).toEqual([BOB]);
    expect(mail.parsed.text).toMatch(/\?et=[0-9a-f]{40}/);
  });

  it('confirms when the last party picks the one remaining slot; the page then shows the status and no form', async () => {
    const e = await createNotified([S1, S2]);
    for (const who of [ALICE, BOB]) {
      const et = await linkToken(e.id, who);
      const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
      const r = await submit(form.action, [['et', form.et], ['csrf', form.csrf], ['version', form.version], ['slot', form.boxes[0]!.value]]);
      expect(r.status).toBe(303);
    }
    const now = await detail(e.id);
    expect(now.status).toBe('confirmed');
    expect(now.answers).toEqual({ [ALICE]: [e.slots[0]], [BOB]: [e.slots[0]] });
    const invites = (await outboxRows(t, e.id)).filter((x) => x.kind === 'confirmation');
    expect(invites.map((x) => x.recipient).sort()).toEqual([ALICE, BOB]);

    const et = await linkToken(e.id, ALICE);
    const p = await page(`/${e.id}/?et=${et}&answered=1`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('<strong>Status:</strong> Confirmed');
    expect(p.html).toContain('Confirmed time');
    expect(p.html).toContain('Tue 11 Mar 2031, 14:00');
    expect(p.html).toContain('the event is confirmed');
    expect(p.html).not.toContain('<form');
  });

  it('shows a cancelled event without a form, and refuses a late submission with 409', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
    expect((await api('DELETE', `/${e.id}/`, { auth: basic(OWNER) })).status).toBe(204);
    const p = await page(`/${e.id}/?et=${et}`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('<strong>Status:</strong> Cancelled');
    expect(p.html).not.toContain('<form');
    const r = await submit(form.action, [['et', form.et], ['csrf', form.csrf], ['version', form.version], ['slot', form.boxes[0]!.value]]);
    expect(r.status).toBe(409);
    expect(r.html).toMatch(/role="alert"[^>]*><p>Nothing was changed: the event is cancelled/);
    expect((await detail(e.id)).slots).toHaveLength(3);
  });
});

describe('refused submissions change nothing', () => {
  async function unchanged(id: number, slots: unknown, rowsBefore: number) {
    const now = await detail(id);
    expect(now.slots).toEqual(slots);
    expect(now.answers).toEqual({});
    expect((await logOf(id)).filter((x) => x.occurrence === 'UPDATE' && x.effector !== OWNER)).toEqual([]);
    expect(await outboxRows(t, id)).toHaveLength(rowsBefore);
  }

  it('bad, missing or borrowed CSRF token → 403', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const rows = (await outboxRows(t, e.id)).length;
    const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
    const bobs = formOf((await page(`/${e.id}/?et=${await linkToken(e.id, BOB)}`)).html);
    const tampered = `${form.csrf!.slice(0, -2)}${form.csrf!.endsWith('AA') ? 'AB' : 'AA'}`;
    for (const csrf of [tampered, undefined, '', bobs.csrf]) {
      const r = await submit(form.action, [['et', form.et], ['csrf', csrf], ['version', form.version], ['slot', form.boxes[0]!.value]]);
      expect(r.status, `csrf=${csrf}`).toBe(403);
      expectPageHeaders(r.headers);
      expect(r.html).toContain('This form could not be verified');
      expect(r.html).toContain('Nothing was changed');
    }
    await unchanged(e.id, e.slots, rows);
  });

  it('a list that changed since the page was rendered → 409 with a notice and the current list', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
    // Meanwhile the owner adds a slot; the reader never saw it.
    const patched = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { slots: [...e.slots, { begin: '2031-03-20T10:00:00Z', duration: '01:00' }] } });
    expect(patched.status).toBe(202);
    const rows = (await outboxRows(t, e.id)).length;
    const r = await submit(form.action, [['et', form.et], ['csrf', form.csrf], ['version', form.version], ['slot', form.boxes[0]!.value]]);
    expect(r.status).toBe(409);
    expectPageHeaders(r.headers);
    expect(r.html).toMatch(/role="alert"[^>]*><p>Nothing was changed: the list of times changed since you opened this page/);
    const fresh = formOf(r.html);
    expect(fresh.boxes).toHaveLength(4);
    expect(fresh.version).not.toBe(form.version);
    await unchanged(e.id, patched.body.slots, rows);
    // The re-rendered form works.
    const ok = await submit(fresh.action, [['et', fresh.et], ['csrf', fresh.csrf], ['version', fresh.version], ['slot', fresh.boxes[3]!.value]]);
    expect(ok.status).toBe(303);
    expect((await detail(e.id)).slots).toEqual([{ begin: '2031-03-20T10:00:00Z', duration: '01:00:00' }]);
  });

  it('a slot that is not on the list → 400 with a notice', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const rows = (await outboxRows(t, e.id)).length;
    const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
    for (const slot of ['99', '1931004000000000/1', 'junk']) {
      const r = await submit(form.action, [['et', form.et], ['csrf', form.csrf], ['version', form.version], ['slot', '1'], ['slot', slot]]);
      expect(r.status).toBe(400);
      expect(r.html).toMatch(/role="alert"[^>]*><p>Nothing was changed: .* is not on the list/);
    }
    await unchanged(e.id, e.slots, rows);
  });
});

describe('error pages', () => {
  it('expired link → 400 page saying so and what to do; the form is refused too', async () => {
    const e = await createNotified();
    const et = await linkToken(e.id, ALICE);
    const form = formOf((await page(`/${e.id}/?et=${et}`)).html);
    const rows = (await outboxRows(t, e.id)).length;
    await t.server.appDeps.stores.database.db.eventToken.updateMany({
      where: { hash: sha256Hex(et) }, data: { expiresAt: new Date('2020-01-01T00:00:00Z') },
    });
    const p = await page(`/${e.id}/?et=${et}`);
    expect(p.status).toBe(400);
    expectPageHeaders(p.headers);
    expect(p.html).toContain('<h1>This link has expired</h1>');
    expect(p.html).toContain('expired on Wed 1 Jan 2020, 00:00:00 UTC');
    expect(p.html).toContain('Look for a newer e-mail about this event');
    expect(p.html).not.toContain(e.slots[0]!.begin);
    const r = await submit(form.action, [['et', form.et], ['csrf', form.csrf], ['version', form.version], ['slot', form.boxes[0]!.value]]);
    expect(r.status).toBe(400);
    expect(r.html).toContain('This link has expired');
    expect((await detail(e.id)).slots).toEqual(e.slots);
    expect(await outboxRows(t, e.id)).toHaveLength(rows);
  });

  it('a token for another event → 403 page; unknown or missing token → 401 page', async () => {
    const a = await createNotified();
    const b = await createNotified();
    const etA = await linkToken(a.id, ALICE);
    const foreign = await page(`/${b.id}/?et=${etA}`);
    expect(foreign.status).toBe(403);
    expectPageHeaders(foreign.headers);
    expect(foreign.html).toContain('<h1>This link belongs to another event</h1>');
    expect(foreign.html).not.toContain('Budget');
    // Not even whether an id exists leaks.
    expect((await page(`/987654/?et=${etA}`)).status).toBe(403);

    const unknown = await page(`/${a.id}/?et=${randomBytes(20).toString('hex')}`);
    expect(unknown.status).toBe(401);
    expect(unknown.html).toContain('<h1>This link is not valid</h1>');
    expect(unknown.headers.get('www-authenticate')).not.toMatch(/basic/i); // no browser login box
    const none = await page(`/${a.id}/`);
    expect(none.status).toBe(401);
    expect(none.html).toContain('<h1>This page needs your personal link</h1>');

    // The form of event a, posted to event b with a's token: refused, b unchanged.
    const form = formOf((await page(`/${a.id}/?et=${etA}`)).html);
    const r = await submit(`/${b.id}/answer/`, [['et', form.et], ['csrf', form.csrf], ['version', form.version], ['slot', '1']]);
    expect(r.status).toBe(403);
    expect(r.html).toContain('This link belongs to another event');
    expect((await detail(b.id)).slots).toEqual(b.slots);
  });
});
