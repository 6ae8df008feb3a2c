// SPEC §3 in process: the real app (buildHttpApp: every route, the real domain and
// authenticator) on a real database file, called with Fastify's inject. Fast enough to run
// with the unit tests; test/integration/db/api-*.test.ts keep the same ground over a socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInjectApp, type InjectApp } from '../helpers/inject-app.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, STRANGER, outboxRows, PASSWORD, tokenFor } from '../helpers/fixtures.js';

let t: InjectApp;
const slot1 = { begin: '2031-03-11T14:00:00Z', duration: '01:00' };
const slot2 = { begin: '2031-03-12T09:30:00+02:00', duration: '00:45' };

beforeAll(async () => {
  t = await buildInjectApp();
  await addStandardUsers(t);
});
afterAll(() => t?.stop());

async function create(body: object = { title: 'Planning', parties: [ALICE, BOB], slots: [slot1, slot2] }) {
  const r = await t.api('POST', '/', { auth: basic(OWNER), body });
  expect(r.status).toBe(201);
  return r.body;
}

/** Notifies both parties and returns Alice's personal token (from her mail). */
async function aliceToken(e: { id: number; slots: unknown }): Promise<string> {
  expect((await t.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } })).status).toBe(202);
  return tokenFor(t, e.id, ALICE);
}

describe('events', () => {
  it('create → 201 with normalized slots and absolute links; list and detail show it', async () => {
    const e = await create();
    expect(e).toMatchObject({
      title: 'Planning', parties: [ALICE, BOB], status: 'open', owner: OWNER, url: `${t.url}/${e.id}/`,
      slots: [{ begin: '2031-03-11T14:00:00Z', duration: '01:00:00' }, { begin: '2031-03-12T07:30:00Z', duration: '00:45:00' }],
    });
    const list = await t.api('GET', '/', { auth: basic(OWNER) });
    expect(list.status).toBe(200);
    expect(list.body.map((x: { id: number }) => x.id)).toContain(e.id);
    const detail = await t.api('GET', `/${e.id}/`, { auth: basic(OWNER) });
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual({ ...e, updated: detail.body.updated });
    expect(detail.headers.get('vary')).toMatch(/Accept/);
  });

  it('patch → 202, title and slots replaced, parties ignored', async () => {
    const e = await create();
    const r = await t.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Renamed', parties: ['evil@example.com'], slots: [slot2] } });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ title: 'Renamed', parties: [ALICE, BOB], slots: [{ begin: '2031-03-12T07:30:00Z', duration: '00:45:00' }] });
  });

  it('notify → 202 with recipients, one pending mail each; the log shows NOTIFY per recipient', async () => {
    const e = await create();
    const r = await t.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [' Alice@Example.com', BOB], slots: e.slots, sender: 'Olivia' } });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ detail: 'Notifications queued.', recipients: [ALICE, BOB] });
    expect((await outboxRows(t, e.id)).map((x) => [x.recipient, x.kind, x.status])).toEqual([[ALICE, 'proposal', 'pending'], [BOB, 'proposal', 'pending']]);
    const log = await t.api('GET', `/${e.id}/log/`, { auth: basic(OWNER) });
    expect(log.status).toBe(200);
    expect(log.body.entries.filter((x: { occurrence: string }) => x.occurrence === 'NOTIFY').map((x: { data: object }) => x.data))
      .toEqual([{ via: 'api', recipient: ALICE, sender: 'Olivia' }, { via: 'api', recipient: BOB, sender: 'Olivia' }]);
  });

  it('answers by event token confirm the event once both parties keep one slot; DELETE cancels it', async () => {
    const e = await create();
    const ta = await aliceToken(e);
    const tb = await tokenFor(t, e.id, BOB);
    expect((await t.api('PATCH', `/${e.id}/`, { auth: { et: ta }, body: { slots: [slot1] } })).body.status).toBe('open');
    const done = await t.api('PATCH', `/${e.id}/`, { headers: { 'x-event-token': tb }, body: { slots: [slot1] } });
    expect(done.body).toMatchObject({ status: 'confirmed', answers: { [ALICE]: [{ begin: slot1.begin }], [BOB]: [{ begin: slot1.begin }] } });
    expect((await outboxRows(t, e.id)).filter((x) => x.kind === 'confirmation')).toHaveLength(2);
    expect((await t.api('DELETE', `/${e.id}/`, { auth: { et: ta } })).status).toBe(403);
    const del = await t.api('DELETE', `/${e.id}/`, { auth: basic(OWNER) });
    expect(del.status).toBe(204);
    expect((await t.api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.status).toBe('cancelled');
    expect((await t.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Late' } })).status).toBe(409);
  });

  it('the page form records an answer (POST /{id}/answer/, 303 back to the page)', async () => {
    const e = await create();
    const et = await aliceToken(e);
    const page = await t.api('GET', `/${e.id}/?et=${et}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body as string)?.[1] ?? '';
    const form = new URLSearchParams({ csrf: field('csrf'), version: field('version'), slot: field('slot'), et });
    const r = await t.api('POST', `/${e.id}/answer/`, { rawBody: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(/answered=1/);
    const now = (await t.api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(now.slots).toEqual([e.slots[0]]);
    expect(now.answers).toEqual({ [ALICE]: [e.slots[0]] });
  });
});

describe('authentication', () => {
  it('an API token from /api-token-auth/ signs in; bad credentials are a 400 in DRF\'s words', async () => {
    const issued = await t.api('POST', '/api-token-auth/', { body: { username: OWNER, password: PASSWORD } });
    expect(issued.status).toBe(200);
    expect((await t.api('GET', '/', { auth: { token: issued.body.token } })).status).toBe(200);
    const bad = await t.api('POST', '/api-token-auth/', { body: { username: OWNER, password: 'not it' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
  });

  it('401 with WWW-Authenticate, before any 400 for the body', async () => {
    for (const [method, path] of [['GET', '/'], ['POST', '/'], ['PATCH', '/1/'], ['POST', '/1/notify/']] as const) {
      const r = await t.api(method, path, { body: {} });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/Basic/);
      expect(r.body).toEqual({ detail: expect.any(String) });
    }
  });

  it('403 for a stranger, 404 for no such event', async () => {
    const e = await create();
    expect((await t.api('GET', `/${e.id}/`, { auth: basic(STRANGER) })).status).toBe(403);
    const missing = await t.api('GET', '/999999/', { auth: basic(OWNER) });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: expect.any(String) });
    expect((await t.api('GET', '/not-a-number/', { auth: basic(OWNER) })).body).toEqual({ detail: 'Not found.' });
  });
});

describe('error bodies', () => {
  it('create reports every bad field at once, in the seed\'s words', async () => {
    const r = await t.api('POST', '/', { auth: basic(OWNER), body: {
      title: 'Two\nlines', parties: ['not-an-address', BOB],
      slots: [{ begin: 'tomorrow', duration: '01:00' }, { begin: '2031-01-01T00:00:00Z' }],
    } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      title: ['Must not contain control characters (tabs, line breaks, escape sequences).'],
      parties: ['"not-an-address" is not a valid e-mail address.'],
      slots: ['Slot 1: begin "tomorrow" is not an ISO 8601 date-time.', 'Slot 2: duration is required.'],
    });
  });

  it('missing fields: "This field is required."; a body that is no object: non_field_errors', async () => {
    expect((await t.api('POST', '/', { auth: basic(OWNER), body: {} })).body)
      .toEqual({ parties: ['This field is required.'], slots: ['This field is required.'] });
    const list = await t.api('POST', '/', { auth: basic(OWNER), body: [] });
    expect(list.status).toBe(400);
    expect(list.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  });

  it('patch and notify: nothing to update, wrong types, stale slots (409 with the current list)', async () => {
    const e = await create();
    expect((await t.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { parties: [ALICE] } })).body)
      .toEqual({ non_field_errors: ['Nothing to update: send "slots", "title" and/or "respond_by".'] });
    expect((await t.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: ' ', slots: 'soon' } })).body)
      .toEqual({ title: ['May not be blank.'], slots: ['Expected a list of {begin, duration} objects.'] });
    expect((await t.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [], sender: 5 } })).body).toEqual({
      parties: ['At least one party is required.'], slots: ['Required: the slot list being announced.'],
      sender: ['Must be a string of at most 100 characters.'],
    });
    const stale = await t.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: [slot1] } });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ detail: 'The slot list changed; notify with the current slots.', slots: e.slots });
  });

  it('405 with Allow, 415 for a form on the API, 400 for malformed JSON', async () => {
    const r = await t.api('PUT', '/1/', { auth: basic(OWNER) });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE');
    expect(r.body).toEqual({ detail: 'Method "PUT" not allowed.' });
    const form = await t.api('POST', '/', { auth: basic(OWNER), rawBody: 'parties=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const broken = await t.api('POST', '/', { auth: basic(OWNER), rawBody: '{"parties": [', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ detail: expect.any(String) });
  });
});

describe('pages (SPEC §13)', () => {
  it('GET / by limit: Link to the next page under PUBLIC_URL, none on the last', async () => {
    const pager = 'pager@example.com';
    await t.addUser(pager, PASSWORD);
    const made: number[] = [];
    for (let i = 0; i < 3; i++) made.push((await t.api('POST', '/', { auth: basic(pager), body: { parties: [ALICE], slots: [] } })).body.id);
    const first = await t.api('GET', '/?limit=2', { auth: basic(pager) });
    expect(first.body.map((e: { id: number }) => e.id)).toEqual(made.slice(0, 2));
    const link = /^<(.+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(link).toMatch(new RegExp(`^${t.url}/\\?limit=2&cursor=[\\w-]+$`));
    const last = await t.api('GET', link!.slice(t.url.length), { auth: basic(pager) });
    expect(last.body.map((e: { id: number }) => e.id)).toEqual(made.slice(2));
    expect(last.headers.get('link')).toBeNull();
  });

  it('limit and cursor errors are 400 field messages, after authentication', async () => {
    const e = await create();
    for (const path of ['/', `/${e.id}/log/`]) {
      const r = await t.api('GET', `${path}?limit=1001&cursor=AAAA`, { auth: basic(OWNER) });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ limit: ['Ensure this value is less than or equal to 1000.'], cursor: ['Invalid cursor.'] });
      expect((await t.api('GET', `${path}?limit=abc`)).status).toBe(401);
    }
    expect((await t.api('GET', '/?limit=&cursor=', { auth: basic(OWNER) })).body)
      .toEqual({ limit: ['A valid integer is required.'], cursor: ['Invalid cursor.'] });
  });

  it('/openapi documents limit, cursor and the Link header of both lists', async () => {
    const doc = (await t.api('GET', '/openapi')).body;
    for (const op of [doc.paths['/'].get, doc.paths['/{id}/log/'].get]) {
      const params = Object.fromEntries(op.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string; schema: object }) => [p.name, p.schema]));
      expect(params.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
      expect(params.cursor).toMatchObject({ type: 'string' });
      expect(op.responses['200'].headers.Link.description).toMatch(/rel="next"/);
    }
  });
});
