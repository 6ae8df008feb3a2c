// The "Hardening" issue over real HTTP, with the outbox delivering to a real SMTP catcher:
// compatibility with the seed's DRF clients (SPEC §3), no form parsing outside the page,
// sender names, control characters, response headers and who may read Message-IDs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer, linkToken, type MailServer } from '../../helpers/mail-server.js';
import type { TestServer } from '../../helpers/server.js';
import type { MailCatcher } from '../../helpers/mail-catcher.js';
import type { Auth } from '../../helpers/api.js';
import { sleep } from '../../helpers/free-ports.js';
import { ALICE, basic, BOB, OWNER, PASSWORD, STAFF } from '../../helpers/fixtures.js';

let t: TestServer;
let catcher: MailCatcher;
let api: MailServer['api'];
const slot1 = { begin: '2031-03-11T14:00:00Z', duration: '01:00' };
const slot2 = { begin: '2031-03-12T09:30:00Z', duration: '00:45' };

beforeAll(async () => {
  ({ t, catcher, api } = await startMailServer());
});
afterAll(async () => {
  await t?.stop();
  await catcher?.stop();
});

async function create(body: object = { title: 'Hardening', parties: [ALICE, BOB], slots: [slot1, slot2] }) {
  const r = await api('POST', '/', { auth: basic(OWNER), body });
  expect(r.status).toBe(201);
  return r.body as { id: number; slots: { begin: string; duration: string }[] };
}

type Entry = { occurrence: string; effector: string | null; data: Record<string, unknown> };
const logAs = async (id: number, auth: Auth) => {
  const r = await api('GET', `/${id}/log/`, { auth });
  expect(r.status).toBe(200);
  return r.body.entries as Entry[];
};

/** A JSON request whose body is empty: what DRF clients send on DELETE and GET. */
const emptyJson = { 'content-type': 'application/json', 'content-length': '0' };

describe('compatibility with the seed\'s DRF clients', () => {
  it('treats an empty JSON body as {} on every method', async () => {
    const e = await create();
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER), headers: emptyJson })).status).toBe(200);
    expect((await api('GET', `/${e.id}/log/`, { auth: basic(OWNER), headers: emptyJson })).status).toBe(200);
    const patch = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), headers: emptyJson });
    expect(patch.status).toBe(400);
    expect(patch.body.non_field_errors[0]).toMatch(/Nothing to update/);
    const notify = await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), headers: emptyJson });
    expect(notify.status).toBe(400);
    expect(notify.body).toHaveProperty('parties');
    expect(notify.body).toHaveProperty('slots');
    expect((await api('DELETE', `/${e.id}/`, { auth: basic(OWNER), headers: emptyJson })).status).toBe(204);
    // Malformed JSON is still refused.
    expect((await api('DELETE', `/${e.id}/`, { auth: basic(OWNER), headers: { 'content-type': 'application/json' }, rawBody: '{' })).status).toBe(400);
  });

  it.each([
    ['GET', '/1/notify/', 'POST'],
    ['PUT', '/1/', 'GET, HEAD, PATCH, DELETE'],
    ['POST', '/1/log/', 'GET, HEAD'],
    ['DELETE', '/', 'GET, HEAD, POST'],
    ['GET', '/1/answer/', 'POST'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const r = await api(method, path, { auth: basic(OWNER) });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe(allow);
    expect(r.body).toEqual({ detail: `Method "${method}" not allowed.` });
  });

  it('unknown paths stay 404 and the trailing-slash redirects stay', async () => {
    expect((await api('PUT', '/nothing/here/', { auth: basic(OWNER) })).status).toBe(404);
    expect((await api('PUT', '/abc/', { auth: basic(OWNER) })).status).toBe(404);
    expect((await api('GET', '/openapi/')).status).toBe(404);
    const r = await api('PUT', '/1', { auth: basic(OWNER), body: {} });
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/1/');
  });

  it('requires slots and parties on create, with DRF\'s message; an empty slot list is fine', async () => {
    const noSlots = await api('POST', '/', { auth: basic(OWNER), body: { title: 'x', parties: [ALICE] } });
    expect(noSlots.status).toBe(400);
    expect(noSlots.body).toEqual({ slots: ['This field is required.'] });
    const noParties = await api('POST', '/', { auth: basic(OWNER), body: { title: 'x', slots: [] } });
    expect(noParties.status).toBe(400);
    expect(noParties.body).toEqual({ parties: ['This field is required.'] });
    const neither = await api('POST', '/', { auth: basic(OWNER), body: {} });
    expect(neither.body).toEqual({ parties: ['This field is required.'], slots: ['This field is required.'] });
    expect((await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: [] } })).status).toBe(201);
    // Credentials are checked first, as in DRF: no 400 for a caller who is not signed in.
    expect((await api('POST', '/', { body: {} })).status).toBe(401);
  });

  it('logs one NOTIFY entry per recipient with data.recipient and data.sender, a token fingerprint but never the token', async () => {
    const e = await create();
    const r = await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots, sender: 'Olivia' } });
    expect(r.status).toBe(202);
    const byOwner = (await logAs(e.id, basic(OWNER))).filter((x) => x.occurrence === 'NOTIFY');
    expect(byOwner.map((x) => [x.effector, x.data.recipient, x.data.sender])).toEqual([[OWNER, ALICE, 'Olivia'], [OWNER, BOB, 'Olivia']]);
    expect(byOwner.every((x) => !('recipients' in x.data))).toBe(true);

    const et = await linkToken(catcher, e.id, ALICE);
    expect((await api('POST', `/${e.id}/notify/`, { auth: { et }, body: { parties: [BOB], slots: e.slots } })).status).toBe(202);
    const log = await logAs(e.id, basic(OWNER));
    const byAlice = log.filter((x) => x.occurrence === 'NOTIFY' && x.effector === ALICE);
    expect(byAlice).toHaveLength(1);
    expect(byAlice[0]!.data).toMatchObject({ via: 'api', recipient: BOB, sender: ALICE });
    expect(byAlice[0]!.data.token).toMatch(/^[0-9a-f]+$/);
    expect(JSON.stringify(log)).not.toContain(et);
  });
});

describe('form bodies', () => {
  it('a urlencoded POST / with Basic credentials (a cross-site form) → 415, nothing created', async () => {
    const before = (await api('GET', '/', { auth: basic(STAFF) })).body.length;
    const res = await fetch(`${t.url}/`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${OWNER}:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ title: 'forged', 'parties': ALICE, slots: '' }),
    });
    expect(res.status).toBe(415);
    expect((await api('GET', '/', { auth: basic(STAFF) })).body.length).toBe(before);
  });
});

describe('sender', () => {
  it('a forged sender never reaches the From header: the name is the caller\'s address; sender is only logged', async () => {
    const e = await create({ title: 'From check', parties: [ALICE, BOB], slots: [slot1] });
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } })).status).toBe(202);
    const et = await linkToken(catcher, e.id, ALICE);
    const r = await api('POST', `/${e.id}/notify/`, { auth: { et }, body: { parties: [BOB], slots: e.slots, sender: 'Your Bank Security Team' } });
    expect(r.status).toBe(202);
    const mail = await catcher.waitFor((m) => m.envelope.to.includes(BOB) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    const from = mail.parsed.from!.value[0]!;
    expect(from.name).toBe(`${ALICE} via calndro`);
    expect(from.address).toBe(t.config.MAIL_FROM);
    expect(mail.raw.toString('latin1')).not.toContain('Your Bank');
    expect((await logAs(e.id, basic(OWNER))).find((x) => x.occurrence === 'NOTIFY' && x.effector === ALICE)!.data.sender)
      .toBe('Your Bank Security Team');
  });
});

describe('control characters', () => {
  const ESC_TITLE = 'Lunch \u001b[2J\u001b[31mpwned';
  it.each([
    ['an escape sequence', ESC_TITLE],
    ['a C1 CSI', 'Lunch \u009b31m'],
    ['a tab', 'Lunch\tbreak'],
    ['a line break', 'Lunch\nInjected: line'],
    ['DEL', 'Lunch\u007f'],
  ])('a title with %s → 400 with a title message, on create and on PATCH', async (_what, title) => {
    const c = await api('POST', '/', { auth: basic(OWNER), body: { title, parties: [ALICE], slots: [] } });
    expect(c.status).toBe(400);
    expect(c.body.title[0]).toMatch(/control characters/);
    const e = await create();
    const p = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title } });
    expect(p.status).toBe(400);
    expect(p.body.title[0]).toMatch(/control characters/);
  });

  it('a sender or a party address with control characters → 400 naming the field; nothing queued', async () => {
    const e = await create();
    const s = await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots, sender: 'Olivia\u001b]0;title\u0007' } });
    expect(s.status).toBe(400);
    expect(s.body.sender[0]).toMatch(/control characters/);
    const p = await api('POST', '/', { auth: basic(OWNER), body: { parties: ['ali\u001b[31mce@example.com'], slots: [] } });
    expect(p.status).toBe(400);
    expect(p.body.parties[0]).toMatch(/not a valid e-mail address/);
    expect((await logAs(e.id, basic(OWNER))).some((x) => x.occurrence === 'NOTIFY')).toBe(false);
  });
});

describe('response headers', () => {
  it('every API answer carries Cache-Control: no-store and X-Content-Type-Options: nosniff', async () => {
    const e = await create();
    const et = (await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } }), await linkToken(catcher, e.id, ALICE));
    const answers = [
      await api('GET', '/', { auth: basic(OWNER) }),
      await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: [] } }),
      await api('GET', `/${e.id}/`, { auth: { et } }),
      await api('PATCH', `/${e.id}/`, { auth: { et }, body: { slots: e.slots } }),
      await api('GET', `/${e.id}/log/`, { auth: { et } }),
      await api('POST', `/${e.id}/notify/`, { auth: { et }, body: { parties: [BOB], slots: e.slots } }),
      await api('GET', '/'),
      await api('GET', '/999999/', { auth: basic(OWNER) }),
      await api('POST', '/', { auth: basic(OWNER), body: {} }),
      await api('PUT', `/${e.id}/`, { auth: basic(OWNER) }),
      await api('POST', '/api-token-auth/', { body: { username: OWNER, password: PASSWORD } }),
    ];
    for (const r of answers) {
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // The page's own static files keep their short public cache.
    const css = await fetch(`${t.url}/static/page.css`);
    expect(css.headers.get('cache-control')).toBe('public, max-age=300');
  });
});

describe('Message-IDs in the log', () => {
  it('a party sees Message-IDs only of entries about themselves; owner and staff see all', async () => {
    const e = await create();
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } })).status).toBe(202);
    const et = await linkToken(catcher, e.id, ALICE);
    await linkToken(catcher, e.id, BOB);
    // DELIVERED entries are written once the catcher accepted both mails.
    const delivered = async () => (await logAs(e.id, basic(OWNER))).filter((x) => x.occurrence === 'DELIVERED');
    for (let i = 0; i < 100 && (await delivered()).length < 2; i++) await sleep(50);
    const all = await delivered();
    expect(all.map((x) => x.data.recipient).sort()).toEqual([ALICE, BOB]);
    const idOf = (who: string) => all.find((x) => x.data.recipient === who)!.data.message_id as string;
    expect(idOf(BOB)).toMatch(/^<.+@.+>$/);

    const staffView = (await logAs(e.id, basic(STAFF))).filter((x) => x.occurrence === 'DELIVERED');
    expect(staffView.map((x) => x.data.message_id).sort()).toEqual([idOf(ALICE), idOf(BOB)].sort());

    const aliceLog = await logAs(e.id, { et });
    const aliceView = aliceLog.filter((x) => x.occurrence === 'DELIVERED');
    expect(aliceView.find((x) => x.data.recipient === ALICE)!.data.message_id).toBe(idOf(ALICE));
    expect(aliceView.find((x) => x.data.recipient === BOB)!.data).not.toHaveProperty('message_id');
    expect(JSON.stringify(aliceLog)).not.toContain(idOf(BOB));

    // Signed in as a party, the same rule.
    await t.addUser(ALICE, 'alice password');
    expect(JSON.stringify(await logAs(e.id, { basic: [ALICE, 'alice password'] }))).not.toContain(idOf(BOB));
  });
});
