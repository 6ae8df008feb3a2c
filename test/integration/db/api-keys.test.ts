// API keys over real HTTP (SPEC §3): they expire after API_TOKEN_TTL, can be revoked one by
// one or all at once, and are refused with 401 + WWW-Authenticate afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { client } from '../../helpers/api.js';
import { basic, OWNER, PASSWORD } from '../../helpers/fixtures.js';
import { sleep } from '../../helpers/free-ports.js';

async function keyFor(api: ReturnType<typeof client>, username = OWNER, password = PASSWORD) {
  const r = await api('POST', '/api-token-auth/', { body: { username, password } });
  expect(r.status).toBe(200);
  return r.body as { token: string; expires_at: string };
}

async function expectRefused(api: ReturnType<typeof client>, token: string, detail: RegExp) {
  const r = await api('GET', '/', { auth: { token } });
  expect(r.status).toBe(401);
  expect(r.headers.get('www-authenticate')).toMatch(/Token/);
  expect(r.body.detail).toMatch(detail);
}

describe('expiry (API_TOKEN_TTL)', () => {
  let t: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await startTestServer({ API_TOKEN_TTL: '2s' });
    api = client(t.url);
    await t.addUser(OWNER, PASSWORD);
  });
  afterAll(() => t?.stop());

  it('refuses a key once its TTL has passed, and drops expired keys when a new one is issued', async () => {
    const before = Date.now();
    const { token, expires_at } = await keyFor(api);
    const expires = Date.parse(expires_at);
    expect(expires - before).toBeGreaterThanOrEqual(2000);
    expect(expires - Date.now()).toBeLessThanOrEqual(2000);
    const info = await api('GET', '/api-token-auth/', { auth: { token } });
    expect(info.body).toEqual({ user: OWNER, expires_at });

    await sleep(Math.max(0, expires - Date.now()) + 50);
    await expectRefused(api, token, /expired/);
    expect((await api('GET', '/api-token-auth/', { auth: { token } })).status).toBe(401);

    const fresh = await keyFor(api);
    expect((await api('GET', '/', { auth: { token: fresh.token } })).status).toBe(200);
    const db = t.server.appDeps.stores.database.db;
    expect(await db.apiToken.count()).toBe(1);
  });
});

describe('revocation', () => {
  let t: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    t = await startTestServer();
    api = client(t.url);
    await t.addUser(OWNER, PASSWORD);
  });
  afterAll(() => t?.stop());

  it('DELETE /api-token-auth/ revokes the presented key only', async () => {
    const one = await keyFor(api);
    const other = await keyFor(api);
    const r = await api('DELETE', '/api-token-auth/', { auth: { token: one.token } });
    expect(r.status).toBe(204);
    await expectRefused(api, one.token, /Invalid token/);
    expect((await api('DELETE', '/api-token-auth/', { auth: { token: one.token } })).status).toBe(401);
    expect((await api('GET', '/', { auth: { token: other.token } })).status).toBe(200);
  });

  it('DELETE /api-token-auth/ needs the key itself: 400 with Basic, 401 without credentials', async () => {
    const withBasic = await api('DELETE', '/api-token-auth/', { auth: basic(OWNER) });
    expect(withBasic.status).toBe(400);
    expect(withBasic.body.detail).toMatch(/Authorization: Token/);
    const none = await api('DELETE', '/api-token-auth/');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Basic/);
  });

  it('DELETE /api-token-auth/all/ revokes every key of the caller', async () => {
    const keys = [await keyFor(api), await keyFor(api)];
    const r = await api('DELETE', '/api-token-auth/all/', { auth: { token: keys[0]!.token } });
    expect(r.status).toBe(200);
    expect(r.body.revoked).toBeGreaterThanOrEqual(2);
    for (const k of keys) await expectRefused(api, k.token, /Invalid token/);
    expect((await api('DELETE', '/api-token-auth/all/', { auth: basic(OWNER) })).body).toEqual({ revoked: 0 });
  });

  it('documents the key routes in /openapi', async () => {
    const doc = (await api('GET', '/openapi')).body;
    expect(Object.keys(doc.paths['/api-token-auth/']).sort()).toEqual(['delete', 'get', 'post']);
    expect(Object.keys(doc.paths['/api-token-auth/all/'])).toEqual(['delete']);
    expect(doc.paths['/api-token-auth/'].post.responses['200'].content['application/json'].schema.required)
      .toEqual(['token', 'expires_at']);
  });
});
