// Sign-in throttling over real HTTP (SPEC §3): attempts are counted before the password KDF
// runs, the KDF queue is bounded, past the limit a growing delay (not a wall) applies, the
// throttle forgets its least recently seen entries first, and TRUST_PROXY decides whose
// address is counted.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { client, type ApiResponse } from '../../helpers/api.js';
import { countKdfRuns } from '../../helpers/kdf.js';
import { sleep } from '../../helpers/free-ports.js';

const OWNER = 'owner@example.com';
const RIGHT = 'the real password';
let t: TestServer | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function serve(env: Record<string, string>) {
  t = await startTestServer(env);
  await t.addUser(OWNER, RIGHT);
  return client(t.url);
}

const basicAs = (email: string, password: string) => ({ auth: { basic: [email, password] as [string, string] } });
const retryAfter = (r: ApiResponse) => Number(r.headers.get('retry-after'));

describe('a parallel burst of wrong passwords for one account', () => {
  it('lets at most AUTH_MAX_FAILURES reach the KDF; the rest get 429; the owner signs in after the window', async () => {
    const api = await serve({ AUTH_FAILURE_WINDOW_SECONDS: '2', AUTH_RETRY_DELAY: '2s' });
    const kdf = countKdfRuns(t!);
    // Both doors at once: even guesses by Basic auth, odd ones by POST /api-token-auth/.
    const all = await Promise.all(Array.from({ length: 40 }, (_, i) => i % 2
      ? api('POST', '/api-token-auth/', { body: { username: OWNER, password: `guess ${i}` } })
      : api('GET', '/', basicAs(OWNER, `guess ${i}`))));
    const statuses = all.map((r) => r.status);
    expect(statuses.every((s) => [400, 401, 429].includes(s))).toBe(true);
    expect(kdf.runs()).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(kdf.runs());
    const refused = all.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(30);
    expect(refused.every((r) => retryAfter(r) >= 1)).toBe(true);

    // The window (and the delay) run out; then the owner's password works through either door.
    await sleep(Math.max(...refused.map(retryAfter)) * 1000 + 100);
    expect((await api('POST', '/api-token-auth/', { body: { username: OWNER, password: RIGHT } })).status).toBe(200);
    expect((await api('GET', '/', basicAs(OWNER, RIGHT))).status).toBe(200);
    kdf.restore();
  });

  it('bounds the KDF queue (AUTH_KDF_QUEUE): checks that cannot get a slot get 429 with Retry-After', async () => {
    const api = await serve({ AUTH_KDF_QUEUE: '0' });
    const kdf = countKdfRuns(t!);
    // Different accounts, so only the queue (not the per-account count) can refuse them.
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => api('GET', '/', basicAs(`nobody${i}@example.com`, 'guess'))));
    const refused = rs.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => retryAfter(r) >= 1)).toBe(true);
    expect(rs.filter((r) => r.status === 401)).toHaveLength(kdf.runs());
    // Refused checks were not counted as failures: the owner still signs in at once.
    expect((await api('GET', '/', basicAs(OWNER, RIGHT))).status).toBe(200);
    kdf.restore();
  });
});

describe('past the limit', () => {
  it('allows one attempt per growing delay; a right password after the delay works and clears the record', async () => {
    const api = await serve({ AUTH_MAX_FAILURES: '3', AUTH_FAILURE_WINDOW_SECONDS: '600', AUTH_RETRY_DELAY: '1s', AUTH_RETRY_DELAY_MAX: '4s' });
    const wrong = () => api('GET', '/', basicAs(OWNER, 'wrong guess'));
    for (let i = 0; i < 3; i++) expect((await wrong()).status).toBe(401);
    const first = await wrong();
    expect([first.status, retryAfter(first)]).toEqual([429, 1]);
    expect((await api('GET', '/', basicAs(OWNER, RIGHT))).status).toBe(429); // inside the delay

    await sleep(1100);
    expect((await wrong()).status).toBe(401); // one attempt after the delay
    const second = await wrong();
    expect([second.status, retryAfter(second)]).toEqual([429, 2]); // the delay doubled

    await sleep(2100);
    expect((await api('GET', '/', basicAs(OWNER, RIGHT))).status).toBe(200);
    // The record is cleared: a fresh count of three (the Basic cache does not apply to wrong passwords).
    for (let i = 0; i < 3; i++) expect((await wrong()).status).toBe(401);
  });

  it('forgets the least recently seen accounts first when full (AUTH_THROTTLE_MAX_ENTRIES), not all of them', async () => {
    const api = await serve({ AUTH_MAX_FAILURES: '2', AUTH_THROTTLE_MAX_ENTRIES: '2', AUTH_RETRY_DELAY: '60s' });
    const guess = (email: string) => api('GET', '/', basicAs(email, 'wrong guess')).then((r) => r.status);
    for (const email of ['a@example.com', 'b@example.com']) {
      expect([await guess(email), await guess(email), await guess(email)]).toEqual([401, 401, 429]);
    }
    expect(await guess('c@example.com')).toBe(401); // a third entry: a@ (least recent) is dropped
    expect(await guess('b@example.com')).toBe(429);
    expect(await guess('a@example.com')).toBe(401);
  });
});

describe('TRUST_PROXY', () => {
  const from = (address: string, email: string) =>
    ({ ...basicAs(email, 'wrong guess'), headers: { 'x-forwarded-for': address } });
  const env = { AUTH_MAX_FAILURES_PER_IP: '2', AUTH_RETRY_DELAY: '60s' };

  it('counts the forwarded client address when the proxy is trusted', async () => {
    const api = await serve({ ...env, TRUST_PROXY: '127.0.0.1/32,::1' });
    expect((await api('GET', '/', from('203.0.113.5', 'x1@example.com'))).status).toBe(401);
    expect((await api('GET', '/', from('203.0.113.5', 'x2@example.com'))).status).toBe(401);
    expect((await api('GET', '/', from('203.0.113.5', 'x3@example.com'))).status).toBe(429);
    expect((await api('GET', '/', from('203.0.113.6', 'x4@example.com'))).status).toBe(401);
  });

  it('ignores X-Forwarded-For by default', async () => {
    const api = await serve(env);
    expect((await api('GET', '/', from('203.0.113.5', 'x1@example.com'))).status).toBe(401);
    expect((await api('GET', '/', from('203.0.113.6', 'x2@example.com'))).status).toBe(401);
    expect((await api('GET', '/', from('203.0.113.7', 'x3@example.com'))).status).toBe(429);
  });
});
