// SPEC §3 over real HTTP against a started server and a real database file (or PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { SPEC_BEGIN_FORMS } from '../../fixtures/spec-times.js';
import { client } from '../../helpers/api.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, STAFF, STRANGER, outboxRows, tokenFor } from '../../helpers/fixtures.js';
import { patchEvent } from '../../../src/domain/events/patch-event.js';

let t: TestServer;
let api: ReturnType<typeof client>;
const slot1 = { begin: '2031-03-11T14:00:00Z', duration: '01:00' };
const slot2 = { begin: '2031-03-12T09:30:00+02:00', duration: '00:45' };

beforeAll(async () => {
  t = await startTestServer();
  api = client(t.url);
  await addStandardUsers(t);
});
afterAll(() => t?.stop());

async function create(body: object = { title: 'Planning', parties: [ALICE, BOB], slots: [slot1, slot2] }) {
  const r = await api('POST', '/', { auth: basic(OWNER), body });
  expect(r.status).toBe(201);
  return r.body;
}

async function logOf(id: number) {
  const r = await api('GET', `/${id}/log/`, { auth: basic(OWNER) });
  expect(r.status).toBe(200);
  return r.body.entries as { occurrence: string; effector: string; data: Record<string, unknown> }[];
}

describe('create', () => {
  it('creates with normalized slots, absolute URLs and a created log entry', async () => {
    const e = await create();
    expect(e).toMatchObject({
      title: 'Planning', parties: [ALICE, BOB], status: 'open', owner: OWNER,
      slots: [{ begin: '2031-03-11T14:00:00Z', duration: '01:00:00' }, { begin: '2031-03-12T07:30:00Z', duration: '00:45:00' }],
    });
    expect(e.url).toBe(`${t.url}/${e.id}/`);
    expect(e.log_url).toBe(`${t.url}/${e.id}/log/`);
    expect(e.notify_url).toBe(`${t.url}/${e.id}/notify/`);
    const log = await logOf(e.id);
    expect(log[0]).toMatchObject({ occurrence: 'UPDATE', effector: OWNER, data: { opened: 'created' } });
  });

  it('generates a pronounceable title when blank', async () => {
    const e = await create({ title: '  ', parties: [ALICE], slots: [] });
    expect(e.title).toMatch(/^[A-Z][a-z]{5,}$/);
  });

  it('collapses duplicate slots written with different offsets', async () => {
    const e = await create({ parties: [ALICE], slots: [slot1, { begin: '2031-03-11T16:00:00+02:00', duration: 'PT1H' }, slot1] });
    expect(e.slots).toEqual([{ begin: '2031-03-11T14:00:00Z', duration: '01:00:00' }]);
  });

  it.each(SPEC_BEGIN_FORMS)('begin %j → %s', async (begin, out) => {
    const e = await create({ parties: [ALICE], slots: [{ begin, duration: '00:10' }] });
    expect(e.slots[0].begin).toBe(out);
  });

  it.each([
    ['00:10', '00:10:00'], ['01:30:15', '01:30:15'], ['1 02:00:00', '1 02:00:00'], ['PT1H30M', '01:30:00'], ['P7D', '7 00:00:00'],
  ])('duration %s → %s', async (duration, out) => {
    const e = await create({ parties: [ALICE], slots: [{ begin: '2031-01-01T00:00:00Z', duration }] });
    expect(e.slots[0].duration).toBe(out);
  });

  it('rejects bad input with field messages and writes nothing', async () => {
    const before = (await api('GET', '/', { auth: basic(STAFF) })).body.length;
    const r = await api('POST', '/', { auth: basic(OWNER), body: {
      parties: ['not-an-address'],
      slots: [{ begin: 'tomorrow', duration: '01:00' }, { begin: '2031-01-01T00:00:00Z', duration: '00:00' }, { begin: '2031-01-01T00:00:00Z', duration: '8 00:00:00' }],
    } });
    expect(r.status).toBe(400);
    expect(r.body.parties[0]).toContain('not-an-address');
    expect(r.body.slots.join(' ')).toMatch(/Slot 1: begin "tomorrow"/);
    expect(r.body.slots.join(' ')).toMatch(/Slot 2: duration must be longer than zero/);
    expect(r.body.slots.join(' ')).toMatch(/Slot 3: duration must be at most 7 days/);
    expect((await api('GET', '/', { auth: basic(STAFF) })).body.length).toBe(before);
  });

  it('requires parties and type-checks the body', async () => {
    expect((await api('POST', '/', { auth: basic(OWNER), body: { slots: [] } })).body).toHaveProperty('parties');
    const r = await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: 'soon' } });
    expect(r.status).toBe(400);
    expect(r.body).toHaveProperty('slots');
  });

  it('accepts 30 slots and refuses 31', async () => {
    const slots = (n: number) => Array.from({ length: n }, (_, i) => ({ begin: `2031-01-01T${String(i % 24).padStart(2, '0')}:00:00Z`, duration: `${Math.floor(i / 24) + 1}:00` }));
    expect((await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: slots(30) } })).status).toBe(201);
    const r = await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: slots(31) } });
    expect(r.status).toBe(400);
    expect(r.body.slots[0]).toMatch(/At most 30/);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const r = await api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], title: 'x'.repeat(1_100_000) } });
    expect(r.status).toBe(413);
  });

  it('answers malformed JSON with 400, never 500', async () => {
    const res = await fetch(`${t.url}/`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${OWNER}:correct horse battery`).toString('base64')}` }, body: '{"parties": [' });
    expect(res.status).toBe(400);
  });
});

describe('authentication', () => {
  it('401 with WWW-Authenticate without credentials or with bad ones', async () => {
    for (const auth of [undefined, { basic: [OWNER, 'wrong password'] as [string, string] }, { token: 'nope' }, { et: 'f'.repeat(40) }]) {
      const r = await api('GET', '/', { auth });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/Basic/);
    }
  });

  it('issues API tokens that authenticate with the Token scheme', async () => {
    const bad = await api('POST', '/api-token-auth/', { body: { username: OWNER, password: 'nope-nope' } });
    expect(bad.status).toBe(400);
    const r = await api('POST', '/api-token-auth/', { body: { username: OWNER, password: 'correct horse battery' } });
    expect(r.status).toBe(200);
    expect(r.body.token).toMatch(/^[0-9a-f]{40}$/);
    expect((await api('GET', '/', { auth: { token: r.body.token } })).status).toBe(200);
    const stored = await t.server.appDeps.stores.database.db.apiToken.findMany();
    expect(stored.some((s) => s.keyHash === r.body.token)).toBe(false);
  });

  it('forgets a cached Basic credential when the password changes', async () => {
    await t.addUser('changer@example.com', 'first password');
    const old = { basic: ['changer@example.com', 'first password'] as [string, string] };
    expect((await api('GET', '/', { auth: old })).status).toBe(200);
    const { changePassword } = await import('../../../src/domain/users.js');
    await changePassword(t.server.appDeps.deps, 'changer@example.com', 'second password');
    expect((await api('GET', '/', { auth: old })).status).toBe(401);
    expect((await api('GET', '/', { auth: { basic: ['changer@example.com', 'second password'] } })).status).toBe(200);
  });

  it('checks a Basic credential once for a burst of requests carrying it', async () => {
    await t.addUser('burst@example.com', 'burst password');
    const passwords = t.server.appDeps.deps.passwords;
    const verify = passwords.verify;
    let checks = 0;
    // Counts the scrypt checks (16 MB each) the burst causes; the real check still runs.
    passwords.verify = (password, stored) => (checks++, verify(password, stored));
    try {
      const good = await Promise.all(Array.from({ length: 20 }, () => api('GET', '/', { auth: { basic: ['burst@example.com', 'burst password'] } })));
      expect(good.map((r) => r.status)).toEqual(good.map(() => 200));
      expect(checks).toBe(1);
      const bad = await Promise.all(Array.from({ length: 5 }, () => api('GET', '/', { auth: { basic: ['burst@example.com', 'not it'] } })));
      expect(bad.map((r) => r.status)).toEqual(bad.map(() => 401));
      expect(checks).toBe(2);
    } finally {
      passwords.verify = verify;
    }
  });

  it('throttles repeated failures per account with 429', async () => {
    await t.addUser('target@example.com', 'the real password');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await api('GET', '/', { auth: { basic: ['target@example.com', `guess ${i}`] } })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const r = await api('GET', '/', { auth: { basic: ['target@example.com', 'the real password'] } });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('visibility', () => {
  it('lists events of party and owner; staff sees all; strangers none of them', async () => {
    const e = await create();
    await t.addUser(ALICE, 'alice password');
    const ids = async (auth: object) => ((await api('GET', '/', { auth: auth as any })).body as { id: number }[]).map((x) => x.id);
    expect(await ids(basic(OWNER))).toContain(e.id);
    expect(await ids({ basic: [ALICE, 'alice password'] })).toContain(e.id);
    expect(await ids(basic(STAFF))).toContain(e.id);
    expect(await ids(basic(STRANGER))).not.toContain(e.id);
    expect((await api('GET', `/${e.id}/`, { auth: basic(STRANGER) })).status).toBe(403);
    expect((await api('GET', `/${e.id}/`, { auth: basic(STAFF) })).status).toBe(200);
    expect((await api('GET', `/${e.id}/`, { auth: { basic: [ALICE, 'alice password'] } })).status).toBe(200);
  });

  it('404 for unknown events, 301/308 without the trailing slash, 404 for /openapi/', async () => {
    expect((await api('GET', '/999999/', { auth: basic(OWNER) })).status).toBe(404);
    const r = await api('GET', '/5?et=abc', { auth: basic(OWNER) });
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/5/?et=abc');
    expect((await api('PATCH', '/5', { auth: basic(OWNER), body: {} })).status).toBe(308);
    expect((await api('POST', '/5/notify', { auth: basic(OWNER), body: {} })).status).toBe(308);
    expect((await api('GET', '/5/log', { auth: basic(OWNER) })).status).toBe(301);
    expect((await api('GET', '/openapi/')).status).toBe(404);
  });
});

describe('event tokens', () => {
  it('grant view, patch, notify and log on their event, in query, body or header', async () => {
    const e = await create();
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } })).status).toBe(202);
    const et = await tokenFor(t, e.id, ALICE);
    expect((await api('GET', `/${e.id}/`, { auth: { et } })).status).toBe(200);
    expect((await api('GET', `/${e.id}/`, { body: { et } })).status).toBe(200);
    expect((await api('GET', `/${e.id}/`, { headers: { 'x-event-token': et } })).status).toBe(200);
    expect((await api('GET', `/${e.id}/log/`, { auth: { et } })).status).toBe(200);
    const p = await api('PATCH', `/${e.id}/`, { body: { et, slots: [slot1] } });
    expect(p.status).toBe(202);
    expect(p.body.slots).toHaveLength(1);
    expect((await api('POST', `/${e.id}/notify/`, { body: { et, parties: [BOB], slots: p.body.slots } })).status).toBe(202);
  });

  it('are refused on list, create, delete and other events; expired ones say so', async () => {
    const a = await create();
    const b = await create();
    await api('POST', `/${a.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: a.slots } });
    const et = await tokenFor(t, a.id, ALICE);
    expect((await api('GET', '/', { auth: { et } })).status).toBe(403);
    expect((await api('POST', '/', { auth: { et }, body: { parties: [ALICE] } })).status).toBe(403);
    expect((await api('DELETE', `/${a.id}/`, { auth: { et } })).status).toBe(403);
    expect((await api('GET', `/${b.id}/`, { auth: { et } })).status).toBe(403);
    expect((await api('GET', '/999999/', { auth: { et } })).status).toBe(403);

    const expiredToken = 'a'.repeat(40);
    const { sha256Hex } = await import('../../../src/security/tokens.js');
    await t.server.appDeps.stores.database.db.eventToken.create({
      data: { hash: sha256Hex(expiredToken), eventId: a.id, email: ALICE, expiresAt: new Date('2020-01-01T00:00:00Z') },
    });
    const r = await api('GET', `/${a.id}/`, { auth: { et: expiredToken } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ detail: 'Token expired', expired_at: '2020-01-01T00:00:00.000Z' });
  });

  it('are ignored when the caller is signed in', async () => {
    const a = await create();
    const b = await create({ parties: [BOB], slots: [] });
    await api('POST', `/${a.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: a.slots } });
    const et = await tokenFor(t, a.id, ALICE);
    // Owner of b with a's token: acts as the owner, so b is fine.
    expect((await api('GET', `/${b.id}/?et=${et}`, { auth: basic(OWNER) })).status).toBe(200);
    const log = await logOf(b.id);
    expect(log.at(-1)).toMatchObject({ occurrence: 'VIEW', effector: OWNER });
  });

  it('views are logged with a fingerprint, never the token', async () => {
    const e = await create();
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } });
    const et = await tokenFor(t, e.id, ALICE);
    await api('GET', `/${e.id}/`, { auth: { et } });
    const view = (await logOf(e.id)).filter((x) => x.occurrence === 'VIEW').at(-1)!;
    expect(view.effector).toBe(ALICE);
    expect(typeof view.data.token).toBe('string');
    expect(JSON.stringify(await logOf(e.id))).not.toContain(et);
  });
});

describe('patch', () => {
  it('replaces slots and title, ignores parties, logs UPDATE', async () => {
    const e = await create();
    const r = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Renamed', parties: ['evil@example.com'], slots: [slot2] } });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ title: 'Renamed', parties: [ALICE, BOB], slots: [{ begin: '2031-03-12T07:30:00Z' }] });
    expect((await logOf(e.id)).at(-1)).toMatchObject({ occurrence: 'UPDATE', effector: OWNER });
  });

  it('rejects an empty body and bad slots without logging', async () => {
    const e = await create();
    const before = (await logOf(e.id)).length;
    const empty = await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.non_field_errors[0]).toMatch(/Nothing to update/);
    expect((await api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { slots: [{ begin: 'x', duration: '1' }] } })).status).toBe(400);
    expect((await api('PATCH', `/${e.id}/`, { auth: basic(STRANGER), body: { title: 'x' } })).status).toBe(403);
    expect((await logOf(e.id)).length).toBe(before);
  });

  it('loses no update when parties patch concurrently', async () => {
    const parties = Array.from({ length: 8 }, (_, i) => `p${i}@example.com`);
    const e = await create({ parties, slots: [slot1, slot2] });
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties, slots: e.slots } });
    const tokens = await Promise.all(parties.map((p) => tokenFor(t, e.id, p)));
    const results = await Promise.all(tokens.map((et) => api('PATCH', `/${e.id}/`, { auth: { et }, body: { slots: [slot1, slot2] } })));
    expect(results.map((r) => r.status)).toEqual(parties.map(() => 202));
    const final = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(Object.keys(final.answers).sort()).toEqual([...parties].sort());
    expect((await logOf(e.id)).filter((x) => x.occurrence === 'UPDATE')).toHaveLength(1 + parties.length);
  });

  it('takes many PATCHes of one event at the same instant without conflicts and loses none', async () => {
    const e = await create();
    const deps = t.server.appDeps.deps;
    const owner = (await deps.users.findByEmail(OWNER))!;
    const ctx = { actor: { kind: 'user' as const, user: owner }, via: 'api' as const };
    // All in one turn of the event loop: every read sees the same version (what a burst of
    // requests does): the changes must queue in the store, none lost or refused.
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => patchEvent(deps, ctx, e.id, { title: `Title ${i}` })));
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([]);
    expect((await logOf(e.id)).filter((x) => x.occurrence === 'UPDATE')).toHaveLength(1 + 40);
    const final = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(results.map((r) => (r as PromiseFulfilledResult<{ title: string }>).value.title)).toContain(final.title);
  });
});

describe('notify', () => {
  it('queues one mail per recipient with a fresh token and one NOTIFY entry each', async () => {
    const e = await create();
    const r = await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots, sender: 'Olivia' } });
    expect(r.status).toBe(202);
    const rows = await outboxRows(t, e.id);
    expect(rows.map((x) => x.recipient).sort()).toEqual([ALICE, BOB]);
    expect(rows.every((x) => x.status === 'pending' && x.kind === 'proposal')).toBe(true);
    expect(rows[0]!.payload.slots.map((s) => s.number)).toEqual([1, 2]);
    // The From name is the caller's own address; `sender` is only logged (seed compatibility).
    expect(rows[0]!.payload.senderName).toBe(OWNER);
    expect(new Set(rows.map((x) => x.payload.sealedToken)).size).toBe(2);
    expect(new Set(rows.map((x) => x.messageId)).size).toBe(2);
    const notes = (await logOf(e.id)).filter((x) => x.occurrence === 'NOTIFY');
    expect(notes.map((n) => n.data)).toEqual([
      { via: 'api', recipient: ALICE, sender: 'Olivia' },
      { via: 'api', recipient: BOB, sender: 'Olivia' },
    ]);
  });

  it('refuses strangers as recipients (400) and stale slots (409 with the current list)', async () => {
    const e = await create();
    const stranger = await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: ['zed@example.com'], slots: e.slots } });
    expect(stranger.status).toBe(400);
    expect(stranger.body.parties[0]).toMatch(/not a party/);
    const stale = await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: [slot1] } });
    expect(stale.status).toBe(409);
    expect(stale.body.slots).toEqual(e.slots);
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { slots: e.slots } })).status).toBe(400);
    expect(await outboxRows(t, e.id)).toHaveLength(0);
  });
});

describe('confirmation and cancel', () => {
  it('confirms when one slot is left and every party agreed; invites queued once', async () => {
    const e = await create();
    await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
    const [ta, tb] = [await tokenFor(t, e.id, ALICE), await tokenFor(t, e.id, BOB)];
    const first = await api('PATCH', `/${e.id}/`, { auth: { et: ta }, body: { slots: [slot1] } });
    expect(first.body.status).toBe('open');
    const second = await api('PATCH', `/${e.id}/`, { auth: { et: tb }, body: { slots: [slot1] } });
    expect(second.body.status).toBe('confirmed');
    const invites = (await outboxRows(t, e.id)).filter((x) => x.kind === 'confirmation');
    expect(invites.map((x) => x.recipient).sort()).toEqual([ALICE, BOB]);
    expect(invites[0]!.payload.confirmedSlot?.beginMs).toBe(Date.parse('2031-03-11T14:00:00Z'));
    // A confirmed event does not change any more, so the invite cannot go out twice.
    expect((await api('PATCH', `/${e.id}/`, { auth: { et: ta }, body: { slots: [slot1] } })).status).toBe(409);
    expect((await outboxRows(t, e.id)).filter((x) => x.kind === 'confirmation')).toHaveLength(2);

    const del = await api('DELETE', `/${e.id}/`, { auth: basic(OWNER) });
    expect(del.status).toBe(204);
    const cancels = (await outboxRows(t, e.id)).filter((x) => x.kind === 'cancellation');
    expect(cancels).toHaveLength(2);
    expect(cancels[0]!.payload.sequence).toBe(1);
    expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.status).toBe('cancelled');
  });

  it('only owner or staff may delete; deleting an unconfirmed event sends nothing', async () => {
    const e = await create();
    await t.addUser(BOB, 'bob password');
    expect((await api('DELETE', `/${e.id}/`, { auth: { basic: [BOB, 'bob password'] } })).status).toBe(403);
    expect((await api('DELETE', `/${e.id}/`, { auth: basic(STAFF) })).status).toBe(204);
    expect(await outboxRows(t, e.id)).toHaveLength(0);
    expect((await logOf(e.id)).at(-1)).toMatchObject({ occurrence: 'CANCEL', effector: STAFF });
  });
});

describe('openapi', () => {
  it('serves the document as JSON and YAML', async () => {
    const r = await api('GET', '/openapi');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/', '/{id}/', '/{id}/notify/', '/{id}/log/', '/api-token-auth/']));
    const y = await fetch(`${t.url}/openapi?format=yaml`);
    expect(y.headers.get('content-type')).toMatch(/yaml/);
    expect(await y.text()).toMatch(/^openapi: 3\./m);
  });
});
