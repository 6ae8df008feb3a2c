// One table maps domain errors to HTTP statuses (src/http/error-status.ts): over a real HTTP
// server, the JSON API and the web page answer every domain error code with the same status
// (and the same Retry-After), so a client sees one meaning whichever representation it asks for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DomainError, type DomainErrorCode } from '../../../src/domain/errors.js';
import { STATUS_OF_CODE } from '../../../src/http/error-status.js';
import { OWNER, PASSWORD } from '../../helpers/fixtures.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CODES = Object.keys(STATUS_OF_CODE) as DomainErrorCode[];
/** Event ids whose read fails: FAILING + i throws CODES[i]. */
const FAILING = 900_000;

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await t.addUser(OWNER, PASSWORD);
  // The one seam: the event store's read throws the code under test; auth, the domain
  // operation, both renderers and the HTTP server are the real ones.
  const events = t.server.appDeps.deps.events;
  const get = events.get.bind(events);
  events.get = async (id) => {
    const code = CODES[id - FAILING];
    if (code) throw new DomainError(code, `failing with ${code}`, { retryAfter: 7, fields: { title: ['bad'] } });
    return get(id);
  };
});
afterAll(async () => {
  await t?.stop();
});

async function answer(id: number, accept: string) {
  const r = await fetch(`${t.url}/${id}/`, {
    headers: { accept, authorization: `Basic ${Buffer.from(`${OWNER}:${PASSWORD}`).toString('base64')}` },
  });
  await r.arrayBuffer();
  return { status: r.status, type: r.headers.get('content-type'), retryAfter: r.headers.get('retry-after') };
}

describe('domain error → HTTP status, one table for the API and the page', () => {
  it('covers every code', () => {
    expect(CODES).toHaveLength(14);
  });

  it.each(CODES.map((code, i) => [code, i] as const))('%s: the API and the page answer the same status', async (code, i) => {
    const api = await answer(FAILING + i, 'application/json');
    const page = await answer(FAILING + i, BROWSER);
    expect(api.type).toMatch(/^application\/json/);
    expect(page.type).toMatch(/^text\/html/);
    expect({ api: api.status, page: page.status }).toEqual({ api: STATUS_OF_CODE[code], page: STATUS_OF_CODE[code] });
    expect(page.retryAfter).toBe(api.retryAfter);
    expect(api.retryAfter).toBe(code === 'busy' || code === 'throttled' ? '7' : null);
  });
});
