// SPEC §13 over real HTTP on a real database (SQLite file or PostgreSQL): lists and logs come
// a keyset page at a time, linked by `Link: <absolute url>; rel="next"`. Thousands of rows are
// seeded with direct inserts (createMany) for speed; the walks add rows while they run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { client, type Auth } from '../../helpers/api.js';
import { ALICE, basic, OWNER, PASSWORD, STAFF, STRANGER, tokenFor } from '../../helpers/fixtures.js';
import { cursorScope } from '../../../src/domain/paging.js';

let t: TestServer;
let api: ReturnType<typeof client>;
const db = () => t.server.appDeps.stores.database.db;
const userId = async (email: string) => (await t.server.appDeps.deps.users.findByEmail(email))!.id;
/** A cursor as the server would make it (its SECRET_KEY), for a position no page has shown yet. */
const cursorFor = (scope: string, id: number) => t.server.appDeps.deps.cursors.encode(scope, id);
/** The cursor a `Link: <…?cursor=…>` or an "Older entries" href carries. */
const cursorIn = (url: string, name = 'cursor') => new URL(url, t.url).searchParams.get(name)!;
/** The id a cursor names, read the way a hand-maker would: its first 4 bytes. */
const b64k = (id: number) => Buffer.from(`k${id}`).toString('base64url');

const SEEDED_EVENTS = 3_000;
const SEEDED_ENTRIES = 2_500;
let logEventId: number;

beforeAll(async () => {
  t = await startTestServer();
  api = client(t.url);
  for (const email of [OWNER, ALICE, STRANGER]) await t.addUser(email, PASSWORD);
  await t.addUser(STAFF, PASSWORD, true);
  const [owner, alice] = [await userId(OWNER), await userId(ALICE)];
  // Alice owns every 6th event, is a party of every one whose number is not 5 mod 6 (so also
  // of some she owns: listed once), and of none of the others: 2,500 of 3,000 are hers to see.
  const now = new Date();
  await db().event.createMany({
    data: Array.from({ length: SEEDED_EVENTS }, (_, i) => ({
      title: `Seeded ${i}`, ownerId: i % 6 === 0 ? alice : owner, parties: JSON.stringify(i % 6 === 5 ? [STRANGER] : [ALICE]),
      slots: '[]', createdAt: now, updatedAt: now,
    })),
  });
  const ids = (await db().event.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((e) => e.id);
  await db().eventParty.createMany({ data: ids.filter((_, i) => i % 6 !== 5).map((eventId) => ({ eventId, userId: alice })) });
  logEventId = ids[1]!; // owned by OWNER
  await db().logEntry.createMany({
    data: Array.from({ length: SEEDED_ENTRIES }, (_, i) => ({
      eventId: logEventId, when: now, occurrence: 'UPDATE', effector: OWNER, slots: '[]', data: JSON.stringify({ title: `entry ${i + 1}` }),
    })),
  });
}, 120_000);
afterAll(() => t?.stop());

/** The URL of a `Link: <…>; rel="next"` header, checked to be absolute under PUBLIC_URL. */
function nextOf(link: string | null): string | null {
  if (link === null) return null;
  const m = /^<([^>]+)>; rel="next"$/.exec(link);
  expect(m, link).not.toBeNull();
  expect(m![1]!.startsWith(`${t.url}/`)).toBe(true);
  return m![1]!;
}

/** Follows the links from `path` to the last page; `between` runs after every page that has a next one. */
async function walk(path: string, auth: Auth, idsOf: (body: any) => number[], between: () => Promise<void>) {
  const ids: number[] = [];
  const links: string[] = [];
  for (let next: string | null = path; next !== null;) {
    const r = await api('GET', next, { auth });
    expect(r.status).toBe(200);
    ids.push(...idsOf(r.body));
    const url = nextOf(r.headers.get('link'));
    if (url === null) break;
    links.push(url);
    next = url.slice(t.url.length);
    await between();
  }
  return { ids, links };
}

/** Ids in strictly ascending order: none repeated, none out of place. */
const expectAscending = (ids: number[]) => ids.slice(1).forEach((id, i) => expect(id).toBeGreaterThan(ids[i]!));

const eventIds = (body: { id: number }[]) => body.map((e) => e.id);
const newEvent = async () => {
  expect((await api('POST', '/', { auth: basic(OWNER), body: { title: 'During the walk', parties: [ALICE], slots: [] } })).status).toBe(201);
};

describe('walking every page', () => {
  it('staff: every event once, in id order, those created during the walk at the end', async () => {
    const { ids, links } = await walk('/', basic(STAFF), eventIds, newEvent);
    expect(links.length).toBeGreaterThanOrEqual(SEEDED_EVENTS / 100);
    expect(links[0]).toMatch(new RegExp(`^${t.url}/\\?cursor=[\\w-]+$`));
    expectAscending(ids);
    const all = (await db().event.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((e) => e.id);
    expect(ids).toEqual(all);
    expect(all.length).toBe(SEEDED_EVENTS + links.length);
  });

  it('a party user: the events they own or are a party of, each once, with ?limit= kept in the links', async () => {
    const { ids, links } = await walk('/?limit=250', basic(ALICE), eventIds, newEvent);
    for (const link of links) expect(link).toMatch(new RegExp(`^${t.url}/\\?limit=250&cursor=[\\w-]+$`));
    expectAscending(ids);
    const alice = await userId(ALICE);
    const visible = await db().event.findMany({
      where: { OR: [{ ownerId: alice }, { members: { some: { userId: alice } } }] }, select: { id: true }, orderBy: { id: 'asc' },
    });
    expect(ids).toEqual(visible.map((e) => e.id));
    expect(ids.length).toBeGreaterThanOrEqual(SEEDED_EVENTS * 5 / 6);
  });

  it('a log: every entry once, oldest first, the VIEWs logged by GETs during the walk at the end', async () => {
    const viewed = async () => {
      expect((await api('GET', `/${logEventId}/`, { auth: basic(OWNER) })).status).toBe(200);
    };
    const r = await walk(`/${logEventId}/log/`, basic(OWNER), (body: { entries: { id: number }[] }) => body.entries.map((e) => e.id), viewed);
    expectAscending(r.ids);
    const stored = await db().logEntry.findMany({ where: { eventId: logEventId }, select: { id: true, occurrence: true }, orderBy: { id: 'asc' } });
    expect(r.ids).toEqual(stored.map((e) => e.id));
    expect(stored.filter((e) => e.occurrence === 'VIEW')).toHaveLength(r.links.length);
    expect(r.ids.length).toBe(SEEDED_ENTRIES + r.links.length);
  });
});

describe('one page', () => {
  it('has the seed\'s shape; the last page has no Link; limit 1000 is allowed', async () => {
    const first = await api('GET', `/${logEventId}/log/?limit=1000`, { auth: basic(OWNER) });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['event', 'parties', 'entries']);
    expect(first.body.event).toBe(`${t.url}/${logEventId}/`);
    expect(first.body.entries).toHaveLength(1000);
    const last = await api('GET', `/${logEventId}/log/?cursor=${cursorFor(cursorScope.log(logEventId), first.body.entries.at(-1).id + 5000)}`, { auth: basic(OWNER) });
    expect(last.status).toBe(200);
    expect(last.body.entries).toEqual([]);
    expect(last.headers.get('link')).toBeNull();
  });

  it('keeps ?et= in the log\'s Link; a party sees the same pages', async () => {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Token pages', parties: [ALICE], slots: [] } })).body;
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: [] } })).status).toBe(202);
    const et = await tokenFor(t, e.id, ALICE);
    const r = await api('GET', `/${e.id}/log/?limit=1&et=${et}`, { auth: undefined });
    expect(r.status).toBe(200);
    expect(r.body.entries).toHaveLength(1);
    const next = nextOf(r.headers.get('link'))!;
    expect(next).toMatch(new RegExp(`^${t.url}/${e.id}/log/\\?limit=1&et=${et}&cursor=[\\w-]+$`));
    const second = await api('GET', next.slice(t.url.length));
    expect(second.status).toBe(200);
    expect(second.body.entries[0].id).toBeGreaterThan(r.body.entries[0].id);
  });

  it('bad limits and cursors: 400 with field messages, never a 500; credentials are checked first', async () => {
    const bad = async (query: string) => {
      const r = await api('GET', `/?${query}`, { auth: basic(STAFF) });
      expect(r.status, query).toBe(400);
      return r.body;
    };
    expect(await bad('limit=1001')).toEqual({ limit: ['Ensure this value is less than or equal to 1000.'] });
    expect(await bad('limit=0')).toEqual({ limit: ['Ensure this value is greater than or equal to 1.'] });
    expect(await bad('limit=-5')).toEqual({ limit: ['Ensure this value is greater than or equal to 1.'] });
    expect(await bad('limit=2.5')).toEqual({ limit: ['A valid integer is required.'] });
    expect(await bad('cursor=%00%ff')).toEqual({ cursor: ['Invalid cursor.'] });
    // The old plain form (base64url of "k<id>") is not a cursor any more, whatever the id.
    expect(await bad(`cursor=${b64k(2 ** 31)}`)).toEqual({ cursor: ['Invalid cursor.'] });
    expect(await bad(`cursor=${b64k(-1)}`)).toEqual({ cursor: ['Invalid cursor.'] });
    expect((await api('GET', `/?cursor=${cursorFor(cursorScope.events, 2 ** 31 - 1)}`, { auth: basic(STAFF) })).body).toEqual([]);
    expect((await api('GET', `/${logEventId}/log/?limit=x&cursor=x`, { auth: basic(OWNER) })).body)
      .toEqual({ limit: ['A valid integer is required.'], cursor: ['Invalid cursor.'] });
    expect((await api('GET', '/?limit=0')).status).toBe(401);
    expect((await api('GET', `/${logEventId}/log/?limit=0`, { auth: basic(STRANGER) })).status).toBe(403);
  });

  it('a cursor made by hand, edited, or carried to another list or log: 400, never a page', async () => {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Another log', parties: [ALICE], slots: [] } })).body;
    for (let i = 0; i < 3; i++) expect((await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).status).toBe(200);
    const logPath = (id: number, cursor: string) => `/${id}/log/?limit=1&cursor=${cursor}`;
    const expectBad = async (path: string, auth = basic(OWNER)) => {
      const r = await api('GET', path, { auth });
      expect(r.status, path).toBe(400);
      expect(r.body, path).toEqual({ cursor: ['Invalid cursor.'] });
    };

    // Real cursors, from the Link headers of the first pages.
    const fromA = cursorIn(nextOf((await api('GET', `/${logEventId}/log/?limit=1`, { auth: basic(OWNER) })).headers.get('link'))!);
    const fromB = cursorIn(nextOf((await api('GET', `/${e.id}/log/?limit=1`, { auth: basic(OWNER) })).headers.get('link'))!);
    const fromList = cursorIn(nextOf((await api('GET', '/?limit=1', { auth: basic(STAFF) })).headers.get('link'))!);
    expect((await api('GET', logPath(logEventId, fromA), { auth: basic(OWNER) })).status).toBe(200);
    expect((await api('GET', logPath(e.id, fromB), { auth: basic(OWNER) })).status).toBe(200);
    expect((await api('GET', `/?limit=1&cursor=${fromList}`, { auth: basic(STAFF) })).status).toBe(200);

    // Hand-made: the old form, for a position that exists on both routes.
    await expectBad(logPath(logEventId, b64k(1)));
    await expectBad(`/?cursor=${b64k(1)}`, basic(STAFF));
    // Edited: another id with the same MAC; one bit of the MAC changed.
    const bytes = Buffer.from(fromA, 'base64url');
    const moved = Buffer.from(bytes);
    moved.writeUInt32BE(bytes.readUInt32BE(0) + 1, 0);
    await expectBad(logPath(logEventId, moved.toString('base64url')));
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 1]! ^= 1;
    await expectBad(logPath(logEventId, flipped.toString('base64url')));
    // Another route's: event A's log cursor on event B's log and on the list, and back.
    await expectBad(logPath(e.id, fromA));
    await expectBad(logPath(logEventId, fromB));
    await expectBad(`/?cursor=${fromA}`, basic(STAFF));
    await expectBad(logPath(logEventId, fromList));
    // A party's token reads the same: the owner's cursor of another event is still refused.
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: [] } })).status).toBe(202);
    const et = await tokenFor(t, e.id, ALICE);
    const r = await api('GET', `${logPath(e.id, fromA)}&et=${et}`, { auth: undefined });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ cursor: ['Invalid cursor.'] });
  });
});

describe('the web page', () => {
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  async function page(path: string) {
    const r = await fetch(`${t.url}${path}`, { headers: { accept: BROWSER } });
    const html = await r.text();
    const log = /<ol class="log">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
    const href = (text: string) => new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`).exec(html)?.[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') ?? null;
    return {
      status: r.status,
      html,
      entries: [...log.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => /title “entry (\d+)”/.exec(m[1]!)?.[1] ?? /<strong class="occ">(\w+)<\/strong>/.exec(m[1]!)![1]!),
      older: href('Older entries'),
      newest: href('Back to the newest'),
    };
  }

  it('shows the latest 50 log entries; "Older entries" is a plain link to the 50 before them, et kept', async () => {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Long log', parties: [ALICE], slots: [] } })).body;
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: [] } })).status).toBe(202);
    const et = await tokenFor(t, e.id, ALICE);
    await db().logEntry.createMany({ data: Array.from({ length: 120 }, (_, i) => ({
      eventId: e.id, when: new Date(), occurrence: 'UPDATE', effector: OWNER, slots: '[]', data: JSON.stringify({ title: `entry ${i + 1}` }),
    })) });
    const numbers = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => String(from - i));

    const first = await page(`/${e.id}/?et=${et}`);
    expect(first.status).toBe(200);
    // Newest first: this visit's VIEW, then entries 120 down to 72.
    expect(first.entries).toEqual(['VIEW', ...numbers(120, 72)]);
    expect(first.newest).toBeNull();
    expect(first.older).toMatch(new RegExp(`^/${e.id}/\\?et=${et}&log_before=[\\w-]+#log-h$`));

    const second = await page(first.older!);
    expect(second.status).toBe(200);
    expect(second.entries).toEqual(numbers(71, 22));
    expect(second.newest).toBe(`/${e.id}/?et=${et}#log-h`);

    const third = await page(second.older!);
    expect(third.entries).toEqual([...numbers(21, 1), 'NOTIFY', 'UPDATE']);
    expect(third.older).toBeNull();
  });

  it('a log_before that is not ours: a 400 page, not a crash', async () => {
    expect((await page(`/${logEventId}/?log_before=not-a-cursor`)).status).toBe(401); // no credentials: asked for first
    const signedIn = await fetch(`${t.url}/${logEventId}/?log_before=%ff`, {
      headers: { accept: BROWSER, authorization: `Basic ${Buffer.from(`${OWNER}:${PASSWORD}`).toString('base64')}` },
    });
    expect(signedIn.status).toBe(400);
    expect(await signedIn.text()).toContain('This link is not valid');
  });

  it('a log_before from another event, from the API\'s log, or made by hand: the same 400 page', async () => {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Short log', parties: [ALICE], slots: [] } })).body;
    const auth = { accept: BROWSER, authorization: `Basic ${Buffer.from(`${OWNER}:${PASSWORD}`).toString('base64')}` };
    const html = await (await fetch(`${t.url}/${logEventId}/`, { headers: auth })).text();
    const href = /<a href="([^"]+)"[^>]*>Older entries<\/a>/.exec(html)![1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const before = cursorIn(href, 'log_before');
    expect((await fetch(`${t.url}/${logEventId}/?log_before=${before}`, { headers: auth })).status).toBe(200);
    const apiCursor = cursorIn(nextOf((await api('GET', `/${logEventId}/log/?limit=1`, { auth: basic(OWNER) })).headers.get('link'))!);
    for (const bad of [`/${e.id}/?log_before=${before}`, `/${logEventId}/?log_before=${apiCursor}`, `/${logEventId}/?log_before=${b64k(60)}`]) {
      const r = await fetch(`${t.url}${bad}`, { headers: auth });
      expect(r.status, bad).toBe(400);
      expect(await r.text()).toContain('This link is not valid');
    }
  });
});
