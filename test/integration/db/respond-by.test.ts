// SPEC §11 respond_by over real HTTP and a real database: on create and PATCH, in the future,
// read as §2 reads a begin, shown in event JSON in the §2 output form, logged in the UPDATE entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { client } from '../../helpers/api.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER } from '../../helpers/fixtures.js';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';

let t: TestServer;
let api: ReturnType<typeof client>;
const slot = { begin: '2031-03-11T14:00:00Z', duration: '01:00' };

beforeAll(async () => {
  t = await startTestServer({ DEFAULT_TIMEZONE: 'Europe/Paris' });
  api = client(t.url);
  await addStandardUsers(t);
});
afterAll(() => t?.stop());

async function create(extra: object = {}) {
  return api('POST', '/', { auth: basic(OWNER), body: { title: 'Deadline', parties: [ALICE], slots: [slot], ...extra } });
}

async function lastUpdate(id: number) {
  const r = await api('GET', `/${id}/log/`, { auth: basic(OWNER) });
  return (r.body.entries as { occurrence: string; data: Record<string, unknown> }[]).filter((e) => e.occurrence === 'UPDATE').at(-1)!;
}

describe('respond_by on create', () => {
  it('is null when not given', async () => {
    const r = await create();
    expect(r.status).toBe(201);
    expect(r.body.respond_by).toBeNull();
    expect((await api('GET', `/${r.body.id}/`, { auth: basic(OWNER) })).body.respond_by).toBeNull();
  });

  it.each([
    ['2031-03-10T18:00:00+02:00', '2031-03-10T16:00:00Z'],
    ['2031-03-10T18:00:00.250Z', '2031-03-10T18:00:00.250000Z'],
    // No offset: DEFAULT_TIMEZONE (Europe/Paris, UTC+1 in March).
    ['2031-03-10T18:00', '2031-03-10T17:00:00Z'],
  ])('%s is kept and shown as %s, and logged', async (given, shown) => {
    const r = await create({ respond_by: given });
    expect(r.status).toBe(201);
    expect(r.body.respond_by).toBe(shown);
    expect((await api('GET', `/${r.body.id}/`, { auth: basic(OWNER) })).body.respond_by).toBe(shown);
    expect((await lastUpdate(r.body.id)).data).toMatchObject({ opened: 'created', respond_by: shown });
  });

  it('a time in the past → 400 with a field message, nothing created', async () => {
    const before = (await api('GET', '/', { auth: basic(OWNER) })).body.length;
    const r = await create({ respond_by: '2020-01-01T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ respond_by: [expect.stringMatching(/^Must be in the future/)] });
    expect((await api('GET', '/', { auth: basic(OWNER) })).body.length).toBe(before);
  });

  it.each([['tomorrow'], ['2031-02-30T10:00:00Z'], [42], [{}]])('%j → 400 naming the field', async (given) => {
    const r = await create({ respond_by: given });
    expect(r.status).toBe(400);
    expect(r.body.respond_by[0]).toMatch(/is not an ISO 8601 date-time/);
  });

  it('bad fields are all reported at once', async () => {
    const r = await create({ respond_by: 'soon', parties: [] });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body).sort()).toEqual(['parties', 'respond_by']);
  });
});

describe('respond_by on PATCH', () => {
  it('sets, moves and clears the deadline; each change logged in the UPDATE entry', async () => {
    const { body: e } = await create();
    let r = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { respond_by: '2031-03-09T12:00:00Z' } });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ respond_by: '2031-03-09T12:00:00Z', slots: [{ begin: '2031-03-11T14:00:00Z', duration: '01:00:00' }], title: 'Deadline' });
    expect((await lastUpdate(e.id)).data).toMatchObject({ respond_by: '2031-03-09T12:00:00Z' });

    r = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Renamed' } });
    expect(r.body.respond_by).toBe('2031-03-09T12:00:00Z');
    expect((await lastUpdate(e.id)).data).not.toHaveProperty('respond_by');

    r = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { respond_by: null } });
    expect(r.status).toBe(202);
    expect(r.body.respond_by).toBeNull();
    expect((await lastUpdate(e.id)).data).toMatchObject({ respond_by: null });
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.respond_by).toBeNull();
  });

  it('past → 400 with a field message, bad format → 400; the event keeps its deadline', async () => {
    const { body: e } = await create({ respond_by: '2031-03-09T12:00:00Z' });
    const past = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { respond_by: '2001-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.respond_by[0]).toMatch(/^Must be in the future/);
    const bad = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { respond_by: 'next week' } });
    expect(bad.status).toBe(400);
    expect(bad.body.respond_by[0]).toMatch(/is not an ISO 8601 date-time/);
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.respond_by).toBe('2031-03-09T12:00:00Z');
  });
});

describe('respond_by in /openapi', () => {
  it('is documented on create and PATCH bodies and in the event JSON', async () => {
    const doc = (await api('GET', '/openapi')).body;
    const body = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema;
    const nullableString = expect.objectContaining({ type: ['string', 'null'] });
    expect(body('/', 'post').properties.respond_by).toEqual(nullableString);
    expect(body('/', 'post').required).not.toContain('respond_by');
    expect(body('/{id}/', 'patch').properties.respond_by).toEqual(nullableString);
    expect(doc.paths['/'].post.responses['201'].content['application/json'].schema.properties.respond_by).toEqual(nullableString);
  });
});

describe('respond_by in the mails and on the page', () => {
  let s: ReplyScene;
  beforeAll(async () => { s = await startReplyScene(); });
  afterAll(() => s?.stop());
  const ASKED = 'Please answer by Mon 10 Mar 2031, 18:00 UTC.';

  it('the proposal, the acknowledgment, the help reply and the confirmation carry it (text and HTML); the page shows it', async () => {
    const e = (await s.api('POST', '/', { auth: basic(OWNER), body: {
      title: 'Quarterly review', parties: [ALICE, BOB], slots: THREE_SLOTS.slice(0, 2), respond_by: '2031-03-10T18:00:00Z' } })).body;
    await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const a = await s.catcher.waitFor((m) => m.envelope.to.includes(ALICE) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    const b = await s.catcher.waitFor((m) => m.envelope.to.includes(BOB) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
    const both = (m: CaughtMail, words: string) => {
      expect(m.parsed.text).toContain(words);
      expect(m.parsed.html).toContain(words);
    };
    both(a, ASKED);

    const seen = () => s.mailsTo(ALICE, e.id).length;
    let before = seen();
    expect((await s.reply(ALICE, a, 'what?')).ok).toBe(true);
    await s.settle();
    both(s.mailsTo(ALICE, e.id)[before]!, ASKED); // help
    before = seen();
    expect((await s.reply(ALICE, a, '2')).ok).toBe(true);
    await s.settle();
    both(s.mailsTo(ALICE, e.id)[before]!, ASKED); // ack

    const et = (b.parsed.text ?? '').match(new RegExp(`/${e.id}/\\?et=([0-9a-f]{40})`))![1]!;
    const page = await fetch(`${s.t.url}/${e.id}/?et=${et}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toMatch(/Please answer by <time class="stamp" datetime="2031-03-10T18:00:00.000Z">Mon 10 Mar 2031, 18:00 UTC<\/time>/);

    // Bob keeps slot 2 too: confirmed, the invite says when answers were due.
    expect((await s.api('PATCH', `/${e.id}/`, { auth: { et }, body: { slots: [THREE_SLOTS[1]] } })).status).toBe(202);
    await s.settle();
    const invite = await s.catcher.waitFor((m) => m.envelope.to.includes(BOB) && /^Confirmed:/.test(m.parsed.subject ?? ''), 10_000);
    both(invite, 'Answers were requested by Mon 10 Mar 2031, 18:00 UTC.');
  });
});
