// The CLI as a user runs it (`calndro …` through bin/calndro.js, a child process) against a
// database file that a real server, started here on the same file, then serves over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/index.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { client } from '../helpers/api.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execFileP = promisify(execFile);

let db: TestDatabase;
let server: RunningServer;
let api: ReturnType<typeof client>;

interface Run { code: number; stdout: string; stderr: string }

/** `calndro ARGS` with `stdin` piped in (so stdin is never a terminal here). */
async function calndro(args: string[], stdin = ''): Promise<Run> {
  const child = execFileP(process.execPath, ['bin/calndro.js', ...args], {
    cwd: ROOT,
    timeout: 30_000,
    env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: db.dataDir, LOG_LEVEL: 'warn', SECRET_KEY: '' },
  });
  child.child.stdin?.end(stdin);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const basic = (email: string, password: string) => ({ basic: [email, password] as [string, string] });

beforeAll(async () => {
  db = await createTestDatabase();
  // The server first: it migrates the database and writes DATA_DIR/secret.key the CLI reuses.
  server = await startServer(parseConfig({
    PORT: '0', DATABASE_URL: db.url, DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', SMTP_ENABLED: 'false', OUTBOX_ENABLED: 'false',
  }));
  api = client(server.httpUrl);
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe('users add / passwd', () => {
  it('creates an active user whose password works with Basic auth', async () => {
    const r = await calndro(['users', 'add', 'Owner@Example.com', '--password-stdin'], 'first password\n');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Created user owner@example.com.');
    expect((await api('GET', '/', { auth: basic('owner@example.com', 'first password') })).status).toBe(200);
    expect((await api('GET', '/', { auth: basic('owner@example.com', 'other password') })).status).toBe(401);
  });

  it('refuses an existing user with a clear message, exit 1, and keeps the password', async () => {
    await calndro(['users', 'add', 'twice@example.com', '--password-stdin'], 'twice password\n');
    const r = await calndro(['users', 'add', 'twice@example.com', '--password-stdin'], 'another password\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cannot add user: A user twice@example.com already exists.');
    expect(r.stderr).toContain('calndro users passwd twice@example.com');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect((await api('GET', '/', { auth: basic('twice@example.com', 'twice password') })).status).toBe(200);
    expect((await api('GET', '/', { auth: basic('twice@example.com', 'another password') })).status).toBe(401);
  });

  it('reports validation errors per field with exit 1', async () => {
    const r = await calndro(['users', 'add', 'not-an-address', '--password-stdin'], 'short\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('email: "not-an-address" is not a valid e-mail address.');
    expect(r.stderr).toContain('password: At least 8 characters.');
  });

  it('needs --password-stdin when stdin is not a terminal, and rejects bad usage with exit 2', async () => {
    const r = await calndro(['users', 'add', 'piped@example.com'], 'piped password\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --password-stdin');
    expect((await calndro(['users', 'add'])).code).toBe(2);
    const unknown = await calndro(['users', 'add', 'x@example.com', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect((await calndro(['frobnicate'])).code).toBe(2);
  });

  it('makes staff users with --staff', async () => {
    expect((await calndro(['users', 'add', 'boss@example.com', '--staff', '--password-stdin'], 'boss password\n')).code).toBe(0);
    expect((await server.appDeps.deps.users.findByEmail('boss@example.com'))?.isStaff).toBe(true);
    expect((await server.appDeps.deps.users.findByEmail('owner@example.com'))?.isStaff).toBe(false);
  });

  it('changes a password; the running server forgets the old one', async () => {
    await calndro(['users', 'add', 'changer@example.com', '--password-stdin'], 'old password\n');
    expect((await api('GET', '/', { auth: basic('changer@example.com', 'old password') })).status).toBe(200);
    const r = await calndro(['users', 'passwd', 'changer@example.com', '--password-stdin'], 'new password\n');
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('Password changed for changer@example.com.');
    expect((await api('GET', '/', { auth: basic('changer@example.com', 'new password') })).status).toBe(200);
    expect((await api('GET', '/', { auth: basic('changer@example.com', 'old password') })).status).toBe(401);
  });

  it('passwd refuses unknown users', async () => {
    const r = await calndro(['users', 'passwd', 'nobody@example.com', '--password-stdin'], 'new password\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No active user nobody@example.com');
  });
});

describe('users and API keys', () => {
  const keyOf = async (email: string, password: string) =>
    (await api('POST', '/api-token-auth/', { body: { username: email, password } })).body.token as string;
  const statusWith = async (token: string) => (await api('GET', '/', { auth: { token } })).status;

  it('a new password (users passwd) ends the keys issued before it', async () => {
    await calndro(['users', 'add', 'keyed@example.com', '--password-stdin'], 'old password\n');
    const before = await keyOf('keyed@example.com', 'old password');
    expect(await statusWith(before)).toBe(200);
    expect((await calndro(['users', 'passwd', 'keyed@example.com', '--password-stdin'], 'new password\n')).code).toBe(0);
    const refused = await api('GET', '/', { auth: { token: before } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/Token/);
    expect(await statusWith(await keyOf('keyed@example.com', 'new password'))).toBe(200);
  });

  it('users revoke-keys ends every key of the user and no one else\'s', async () => {
    await calndro(['users', 'add', 'revoked@example.com', '--password-stdin'], 'some password\n');
    await calndro(['users', 'add', 'bystander@example.com', '--password-stdin'], 'some password\n');
    const keys = [await keyOf('revoked@example.com', 'some password'), await keyOf('revoked@example.com', 'some password')];
    const theirs = await keyOf('bystander@example.com', 'some password');
    const r = await calndro(['users', 'revoke-keys', 'Revoked@Example.com']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Revoked 2 API keys of revoked@example.com.');
    for (const key of keys) expect(await statusWith(key)).toBe(401);
    expect(await statusWith(theirs)).toBe(200);
    const unknown = await calndro(['users', 'revoke-keys', 'nobody@example.com']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user nobody@example.com.');
  });
});

describe('demo', () => {
  it('creates users and events that the API serves, some notified', async () => {
    const r = await calndro(['demo', '--events', '4']);
    expect(r.code).toBe(0);
    const password = /password for all: (\S+)\)/.exec(r.stdout)?.[1];
    expect(password).toBeTruthy();
    const ids = [...r.stdout.matchAll(/^ {2}(\d+) {2,}(\S.*?) {2,}/gm)].map((m) => ({ id: Number(m[1]), title: m[2]! }));
    expect(ids).toHaveLength(4);

    // The staff demo user sees every event; each has parties and 2–5 slots in the future.
    const all = await api('GET', '/', { auth: basic('ada.lovelace@example.com', password!) });
    expect(all.status).toBe(200);
    for (const { id, title } of ids) {
      const e = (all.body as any[]).find((x) => x.id === id);
      expect(e, `event ${id}`).toMatchObject({ title, status: 'open' });
      expect(e.parties.length).toBeGreaterThanOrEqual(2);
      expect(e.slots.length).toBeGreaterThanOrEqual(2);
      expect(e.slots.length).toBeLessThanOrEqual(5);
      for (const s of e.slots) expect(Date.parse(s.begin)).toBeGreaterThan(Date.now());
    }
    // A non-staff demo user sees events too (owned or as a party).
    // Events 1 and 3 of every two ask for answers by a deadline, in the future.
    const first = (all.body as any[]).find((x) => x.id === ids[0]!.id);
    expect(Date.parse(first.respond_by)).toBeGreaterThan(Date.now());
    expect((all.body as any[]).find((x) => x.id === ids[1]!.id).respond_by).toBeNull();
    const grace = await api('GET', '/', { auth: basic('grace.hopper@example.com', password!) });
    expect(grace.body.length).toBeGreaterThan(0);

    // Events 1, 2 and 4 of every three are notified: a NOTIFY entry and one mail per party.
    const log = await api('GET', `/${ids[0]!.id}/log/`, { auth: basic('ada.lovelace@example.com', password!) });
    expect(log.body.entries.map((x: any) => x.occurrence)).toContain('NOTIFY');
    const outbox = await server.appDeps.stores.database.db.outboxMessage.count({ where: { eventId: { in: ids.map((x) => x.id) } } });
    expect(outbox).toBeGreaterThanOrEqual(3 * 2);
    const third = await api('GET', `/${ids[2]!.id}/log/`, { auth: basic('ada.lovelace@example.com', password!) });
    expect(third.body.entries.map((x: any) => x.occurrence)).toEqual(['UPDATE']);
  });

  it('rejects a bad --events value', async () => {
    const r = await calndro(['demo', '--events', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: calndro demo');
  });
});
