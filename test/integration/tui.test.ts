// The TUI in a real terminal (tmux), against a real server: what the user sees, and what the
// API holds afterwards. Plus one run with piped stdin, as scripts use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { client } from '../helpers/api.js';
import { ALICE, basic, BOB, OWNER, PASSWORD, outboxRows } from '../helpers/fixtures.js';
import { freePort, sleep } from '../helpers/free-ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execFileP = promisify(execFile);
// A private tmux server (-L) so the test never touches a tmux the developer is using.
const SOCKET = `calndro-tui-${process.pid}`;
const SESSION = 'tui';
const PROMPT = /^calndro( \[\d+\])?> $/m;

let t: TestServer;
let api: ReturnType<typeof client>;
// Saved API keys go here, never into the ~/.config of whoever runs the tests.
const KEYS_DIR = mkdtempSync(join(tmpdir(), 'calndro-tui-keys-'));
let keyFiles = 0;
const freshKeyFile = () => join(KEYS_DIR, `tui-${++keyFiles}.json`);
const savedKeys = (file: string) => JSON.parse(readFileSync(file, 'utf8')).servers as Record<string, { user: string; key: string }>;

const tmux = (...args: string[]) => execFileP('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args]);

/** Every line of the pane, history included; wrapped lines joined. */
async function screen(): Promise<string[]> {
  const { stdout } = await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', SESSION);
  return stdout.split('\n');
}

/** `calndro tui ARGS` with piped stdin (as scripts run it): exit code and output. */
async function runTui(args: string[], stdin: string, env: Record<string, string>) {
  const child = execFileP(process.execPath, ['bin/calndro.js', 'tui', ...args], {
    cwd: ROOT, timeout: 30_000, env: { ...process.env, TZ: 'UTC', ...env },
  });
  child.child.stdin?.end(stdin);
  try {
    return { code: 0, ...(await child) };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Index of the last non-empty line: output after it is what the next keys cause. */
async function mark(): Promise<number> {
  const lines = await screen();
  let i = lines.length - 1;
  while (i > 0 && !lines[i]!.trim()) i--;
  return i;
}

/** Polls the pane from line `since` until `pattern` shows up; returns that part of the screen. */
async function waitFor(pattern: RegExp, since = 0, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await screen()).slice(since).join('\n');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen from line ${since}:\n${text}`);
    await sleep(100);
  }
}

async function typeLine(text: string): Promise<void> {
  if (text) await tmux('send-keys', '-t', SESSION, '-l', text);
  await tmux('send-keys', '-t', SESSION, 'Enter');
}

/** Types a command at the prompt, waits for `expected` and then for the next prompt. */
async function command(text: string, expected: RegExp): Promise<string> {
  const from = await mark();
  await typeLine(text);
  const out = await waitFor(expected, from);
  await waitFor(PROMPT, from + 1);
  return out;
}

beforeAll(async () => {
  try {
    await execFileP('tmux', ['-V']);
  } catch {
    throw new Error('tmux is not installed: this test drives the TUI through a real terminal (Debian package tmux).');
  }
  t = await startTestServer();
  api = client(t.url);
  await t.addUser(OWNER, PASSWORD);
});
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await t?.stop();
  rmSync(KEYS_DIR, { recursive: true, force: true });
});

describe('TUI in a terminal', () => {
  it('signs in, lists, creates, shows, patches, notifies, shows the log, helps and quits', async () => {
    // TZ=UTC: slot times are shown in the terminal's zone. The pane stays after the TUI ends
    // (remain-on-exit, set before the session starts) and shows the exit code we echo.
    await tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';',
      'new-session', '-d', '-s', SESSION, '-x', '140', '-y', '50', '-c', ROOT,
      `env TZ=UTC CALNDRO_TUI_CONFIG=${freshKeyFile()} node bin/calndro.js tui --url ${t.url} --user ${OWNER}; echo "[exit $?]"`);

    await waitFor(/Password for owner@example\.com: $/m);
    await typeLine(PASSWORD);
    await waitFor(/Signed in to http:\/\/127\.0\.0\.1:\d+\/ as owner@example\.com\. Type \? for help/);
    await waitFor(PROMPT);
    expect((await screen()).join('\n')).not.toContain(PASSWORD); // never echoed

    await command('l', /No events yet/);

    // c: title, parties, two slots, empty line.
    let from = await mark();
    await typeLine('c');
    await waitFor(/Title \(empty: a generated word\): $/m, from);
    await typeLine('Team lunch');
    await waitFor(/Parties \(e-mail addresses, comma-separated\): $/m, from);
    await typeLine(`${ALICE}, ${BOB}`);
    await waitFor(/slot 1: $/m, from);
    await typeLine('2031-03-11T14:00+01:00 01:30');
    await waitFor(/slot 2: $/m, from);
    await typeLine('2031-03-12T09:30Z 00:45');
    await waitFor(/slot 3: $/m, from);
    await typeLine('');
    const created = await waitFor(/Created event (\d+)\.[\s\S]*calndro \[\d+\]> $/m, from);
    const id = Number(/Created event (\d+)\./.exec(created)![1]);
    expect(created).toContain(`Event ${id}: Team lunch  [open]`);
    expect(created).toContain('1. Tue 2031-03-11 13:00–14:30 UTC (1 h 30 min)');
    expect(created).toContain('2. Wed 2031-03-12 09:30–10:15 UTC (45 min)');
    const stored = await api('GET', `/${id}/`, { auth: basic(OWNER) });
    expect(stored.body).toMatchObject({
      title: 'Team lunch', parties: [ALICE, BOB],
      slots: [{ begin: '2031-03-11T13:00:00Z', duration: '01:30:00' }, { begin: '2031-03-12T09:30:00Z', duration: '00:45:00' }],
    });

    const list = await command('l', new RegExp(`^${id}\\s+open\\s+2\\s+Team lunch\\s+${ALICE}, ${BOB}$`, 'm'));
    expect(list).toMatch(/^ID\s+STATUS\s+SLOTS\s+TITLE\s+PARTIES$/m);

    const shown = await command(`d${id}`, new RegExp(`Event ${id}: Team lunch  \\[open\\]`));
    expect(shown).toContain(`parties: ${ALICE}, ${BOB}`);
    expect(shown).toContain('2. Wed 2031-03-12 09:30–10:15 UTC (45 min)');

    // p without a number: the last event used. Keep slot 1.
    from = await mark();
    await typeLine('p');
    const asked = await waitFor(/keep which numbers\? \(e\.g\. 1,3\) $/m, from);
    expect(asked).toContain('2. Wed 2031-03-12 09:30–10:15 UTC (45 min)');
    await typeLine('1');
    const patched = await waitFor(/Kept 1 of 2 slots\.[\s\S]*calndro \[\d+\]> $/m, from);
    expect(patched.slice(patched.indexOf('Kept'))).toContain('1. Tue 2031-03-11 13:00–14:30 UTC');
    expect(patched.slice(patched.indexOf('Kept'))).not.toContain('2. Wed 2031-03-12');
    expect((await api('GET', `/${id}/`, { auth: basic(OWNER) })).body.slots).toEqual([{ begin: '2031-03-11T13:00:00Z', duration: '01:30:00' }]);

    await command('n', new RegExp(`Notified ${ALICE}, ${BOB} with 1 slot\\.`));
    const mails = await outboxRows(t, id);
    expect(mails.map((m) => m.recipient)).toEqual([ALICE, BOB]);
    expect(mails.every((m) => m.payload.slots.length === 1)).toBe(true);

    const log = await command(`g${id}`, /NOTIFY/);
    expect(log).toContain(`Log of event ${id} (parties: ${ALICE}, ${BOB})`);
    expect(log).toMatch(/^\s+WHEN\s+WHAT\s+WHO\s+SLOTS\s+DETAILS$/m);
    expect(log).toMatch(/^\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+UPDATE\s+owner@example\.com\s+2 slots\s+via=api opened=created$/m);
    expect(log).toMatch(/^\s+\S+ \S+ UTC\s+UPDATE\s+owner@example\.com\s+1 slot\s+via=api$/m);
    for (const to of [ALICE, BOB]) {
      expect(log).toMatch(new RegExp(`^\\s+\\S+ \\S+ UTC\\s+NOTIFY\\s+owner@example\\.com\\s+1 slot\\s+via=api recipient=${to} sender=${OWNER}$`, 'm'));
    }
    const apiLog = await api('GET', `/${id}/log/`, { auth: basic(OWNER) });
    const occurrences: string[] = apiLog.body.entries.map((e: { occurrence: string }) => e.occurrence);
    expect(occurrences.filter((o) => o !== 'VIEW')).toEqual(['UPDATE', 'UPDATE', 'NOTIFY', 'NOTIFY']);

    // API errors read as messages, not stack traces; the last good event stays selected.
    const missing = await command('d999999', /404 not found: /);
    expect(missing).not.toMatch(/\n\s+at /);
    expect((await screen()).filter((l) => PROMPT.test(l)).at(-1)).toBe(`calndro [${id}]> `);
    await command('x', /Unknown command "x"\. Type \? for help\./);

    // b: book the one slot left (SPEC §11): confirmed, every party invited.
    from = await mark();
    await typeLine('b');
    await waitFor(/book which number\? $/m, from);
    await typeLine('1');
    const booked = await waitFor(/Booked slot 1: the event is confirmed[\s\S]*calndro \[\d+\]> $/m, from);
    expect(booked).toContain(`Event ${id}: Team lunch  [confirmed]`);
    expect((await api('GET', `/${id}/`, { auth: basic(OWNER) })).body.status).toBe('confirmed');
    expect((await outboxRows(t, id)).filter((m) => m.kind === 'confirmation').map((m) => m.recipient)).toEqual([ALICE, BOB]);

    const help = await command('?', /q {6}quit/);
    for (const c of ['l ', 'c ', 'd[n]', 'p[n]', 'b[n]', 'n[n]', 'g[n]', '? ']) expect(help).toContain(`  ${c}`);

    from = await mark();
    await typeLine('q');
    await waitFor(/^Bye\.\n\[exit 0\]$/m, from); // the process ended with exit code 0
  });
});

describe('users add in a terminal', () => {
  it('asks for the password twice without echo, and refuses a mismatch', async () => {
    const env = `env DATABASE_URL=${t.db.url} DATA_DIR=${t.db.dataDir} LOG_LEVEL=warn`;
    const start = (session: string, email: string) => tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';',
      'new-session', '-d', '-s', session, '-x', '120', '-y', '20', '-c', ROOT,
      `${env} node bin/calndro.js users add ${email}; echo "[exit $?]"`);
    const screenOf = async (session: string) => (await tmux('capture-pane', '-p', '-J', '-t', session)).stdout;
    const until = async (session: string, pattern: RegExp) => {
      const deadline = Date.now() + 15_000;
      while (!pattern.test(await screenOf(session))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${await screenOf(session)}`);
        await sleep(100);
      }
    };
    const type = async (session: string, text: string) => {
      await tmux('send-keys', '-t', session, '-l', text);
      await tmux('send-keys', '-t', session, 'Enter');
    };

    await start('add-ok', 'typed@example.com');
    await until('add-ok', /^Password: $/m);
    await type('add-ok', 'typed password 1');
    await until('add-ok', /^Password \(again\): $/m);
    await type('add-ok', 'typed password 1');
    await until('add-ok', /Created user typed@example\.com\.\n\[exit 0\]/);
    expect(await screenOf('add-ok')).not.toContain('typed password');
    expect((await api('GET', '/', { auth: { basic: ['typed@example.com', 'typed password 1'] } })).status).toBe(200);

    await start('add-mismatch', 'other@example.com');
    await until('add-mismatch', /^Password: $/m);
    await type('add-mismatch', 'first try 123');
    await until('add-mismatch', /^Password \(again\): $/m);
    await type('add-mismatch', 'second try 456');
    await until('add-mismatch', /The passwords do not match\.\n\[exit 1\]/);
    expect(await t.server.appDeps.deps.users.findByEmail('other@example.com')).toBeNull();
  });
});

describe('TUI with piped stdin', () => {
  const run = (stdin: string, env: Record<string, string>, where = ['--url', t.url]) =>
    runTui([...where, '--user', OWNER], stdin, { CALNDRO_TUI_CONFIG: freshKeyFile(), ...env });

  it('runs commands from a pipe with CALNDRO_PASSWORD and ends at end of input', async () => {
    const e = await api('POST', '/', { auth: basic(OWNER), body: { title: 'Piped', parties: [ALICE], slots: [] } });
    const r = await run(`l\nd${e.body.id}\n`, { CALNDRO_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${e.body.id}\\s+open\\s+0\\s+Piped\\s+${ALICE}$`, 'm'));
    expect(r.stdout).toContain(`Event ${e.body.id}: Piped  [open]`);
    expect(r.stdout).toContain('(no slots)');
    expect(r.stdout.trimEnd().endsWith('Bye.')).toBe(true);
  });

  it('shows the deadline; b books by number, refuses a number not listed, and says why a second booking fails', async () => {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Deadline', parties: [ALICE], respond_by: '2031-03-10T18:00:00Z',
      slots: [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }, { begin: '2031-03-12T14:00:00Z', duration: '01:00' }] } })).body;
    const r = await run(`d${e.id}\nb${e.id}\n3\nb\n2\nb\n1\n`, { CALNDRO_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  answer by: Mon 2031-03-10 18:00 UTC');
    expect(r.stdout).toContain('Write one number from 1 to 2. Nothing booked.');
    expect(r.stdout).toContain('Booked slot 2: the event is confirmed and every party gets the invitation.');
    expect(r.stdout).toContain(`Event ${e.id}: Deadline  [confirmed]`);
    expect(r.stdout).toMatch(/409 [^\n]*: The event is confirmed; it can no longer change\./);
    const now = (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body;
    expect(now).toMatchObject({ status: 'confirmed', slots: [{ begin: '2031-03-12T14:00:00Z', duration: '01:00:00' }] });
  });

  it('l and g follow Link to the last page (SPEC §13)', async () => {
    const PAGER = 'pager@example.com';
    await t.addUser(PAGER, PASSWORD);
    const ownerId = (await t.server.appDeps.deps.users.findByEmail(PAGER))!.id;
    const db = t.server.appDeps.stores.database.db;
    const now = new Date();
    // 250 events and a log of 250 entries: three pages each at the server's 100.
    await db.event.createMany({ data: Array.from({ length: 250 }, (_, i) => ({
      title: `Paged ${i + 1}`, ownerId, parties: JSON.stringify([ALICE]), slots: '[]', createdAt: now, updatedAt: now,
    })) });
    const ids = (await db.event.findMany({ where: { ownerId }, select: { id: true }, orderBy: { id: 'asc' } })).map((e) => e.id);
    await db.logEntry.createMany({ data: Array.from({ length: 250 }, (_, i) => ({
      eventId: ids[0]!, when: now, occurrence: 'NOTIFY', effector: PAGER, slots: '[]', data: JSON.stringify({ recipient: `r${i + 1}@example.com` }),
    })) });
    const r = await runTui(['--url', t.url, '--user', PAGER], `l\ng${ids[0]}\n`, { CALNDRO_TUI_CONFIG: freshKeyFile(), CALNDRO_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    const listed = [...r.stdout.matchAll(/^(\d+)\s+open\s+0\s+Paged \d+/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual(ids);
    const logged = [...r.stdout.matchAll(/recipient=r(\d+)@example\.com/g)].map((m) => Number(m[1]));
    expect(logged).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));

    // The same server under another name than its PUBLIC_URL: its links point elsewhere, and
    // the TUI does not send its key there.
    const elsewhere = await runTui(['--url', t.url.replace('127.0.0.1', 'localhost'), '--user', PAGER], 'l\n',
      { CALNDRO_TUI_CONFIG: freshKeyFile(), CALNDRO_PASSWORD: PASSWORD });
    expect(elsewhere.stdout).toContain(`The server's next page is at ${new URL(t.url).origin}, not ${new URL(t.url.replace('127.0.0.1', 'localhost')).origin}; not followed.`);
  });

  it('fails sign-in with a readable message and exit 1', async () => {
    const r = await run('l\n', { CALNDRO_PASSWORD: 'wrong password' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Sign-in failed: 400 invalid request:');
    expect(r.stderr).toContain('Unable to log in with provided credentials.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says so when the server cannot be reached', async () => {
    const closed = await freePort(); // nothing listens there
    const r = await run('l\n', { CALNDRO_PASSWORD: PASSWORD }, ['--host', '127.0.0.1', '--port', String(closed)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Sign-in failed: Cannot reach the server at http://127.0.0.1:${closed}/: ECONNREFUSED`);
  });
});

describe('TUI API key', () => {
  const ownerKeys = () => t.server.appDeps.stores.database.db.apiToken.count({ where: { user: { email: OWNER } } });

  it('is saved (0600) and reused by the next run; a refused key leads to a new sign-in', async () => {
    const keyFile = join(KEYS_DIR, 'reuse', 'tui.json');
    const first = await runTui(['--url', t.url], 'l\n', { CALNDRO_TUI_CONFIG: keyFile, CALNDRO_USER: OWNER, CALNDRO_PASSWORD: PASSWORD });
    expect(first.code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const saved = savedKeys(keyFile)[`${t.url}/`]!;
    expect(saved).toEqual({ user: OWNER, key: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const keys = await ownerKeys();

    // No user, no password, stdin a pipe: only the saved key can sign this run in.
    const second = await runTui(['--url', t.url], 'l\n', { CALNDRO_TUI_CONFIG: keyFile });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`as ${OWNER}.`);
    expect(await ownerKeys()).toBe(keys); // no new key minted

    expect((await api('DELETE', '/api-token-auth/', { auth: { token: saved.key } })).status).toBe(204);
    const third = await runTui(['--url', t.url], 'l\n', { CALNDRO_TUI_CONFIG: keyFile, CALNDRO_PASSWORD: PASSWORD });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('The saved API key was refused (expired or revoked); sign in again.');
    const renewed = savedKeys(keyFile)[`${t.url}/`]!;
    expect(renewed.key).not.toBe(saved.key);
    expect((await api('GET', '/', { auth: { token: renewed.key } })).status).toBe(200);
  });

  it('asks for the password again when the key is revoked during a session (terminal)', async () => {
    const keyFile = freshKeyFile();
    await tmux('kill-session', '-t', SESSION).catch(() => undefined);
    await tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';',
      'new-session', '-d', '-s', SESSION, '-x', '140', '-y', '50', '-c', ROOT,
      `env TZ=UTC CALNDRO_TUI_CONFIG=${keyFile} node bin/calndro.js tui --url ${t.url} --user ${OWNER}; echo "[exit $?]"`);
    await waitFor(/Password for owner@example\.com: $/m);
    await typeLine(PASSWORD);
    await waitFor(PROMPT);
    const key = savedKeys(keyFile)[`${t.url}/`]!.key;
    expect((await api('DELETE', '/api-token-auth/all/', { auth: { token: key } })).status).toBe(200);

    let from = await mark();
    await typeLine('l');
    await waitFor(/401 not signed in: Invalid token\.[\s\S]*Password for owner@example\.com: $/m, from);
    await typeLine(PASSWORD);
    await waitFor(/Signed in again; repeat the command\./, from);
    await waitFor(PROMPT, from + 1);
    const renewed = savedKeys(keyFile)[`${t.url}/`]!.key;
    expect(renewed).not.toBe(key);
    await command('l', /^ID\s+STATUS|No events yet/m);
    from = await mark();
    await typeLine('q');
    await waitFor(/^Bye\.\n\[exit 0\]$/m, from);
  });
});
