// SPEC §11 reminders as the built server runs them, in child processes on one database: a
// kill -9 of the app between the two reminders loses nothing and sends nothing twice; two
// instances on PostgreSQL send each reminder (and the deadline's summary) once, never twice.
// Real time, scaled down: REMIND_AFTER=2s, REMIND_BEFORE=1s.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { startTestServer } from '../helpers/server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../helpers/mail-catcher.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/database.js';
import { freePort, sleep, waitForPort } from '../helpers/free-ports.js';
import { client } from '../helpers/api.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, PASSWORD } from '../helpers/fixtures.js';
import { THREE_SLOTS } from '../helpers/reply-scene.js';

const CAROL = 'carol@example.com';
let db: TestDatabase;
let catcher: MailCatcher;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  catcher = await startMailCatcher();
  // Users only (migrates the database); the events are made through the children.
  const t = await startTestServer({}, db);
  await addStandardUsers(t);
  await t.addUser(ALICE, PASSWORD);
  await t.addUser(BOB, PASSWORD);
  await t.stop();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await catcher?.stop();
  await db?.drop();
});

/** The built server (dist/, as deployed) on the test database, mail out to the catcher. */
async function startApp(): Promise<{ child: ChildProcess; api: ReturnType<typeof client> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env, DATABASE_URL: db.url, DATA_DIR: db.dataDir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn',
      SMTP_ENABLED: 'false', OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, MAIL_DOMAIN: 'calndro.test',
      OUTBOX_POLL_MS: '50', OUTBOX_BACKOFF_MS: '100', OUTBOX_LOCK_SECONDS: '2',
      REMIND_AFTER: '2s', REMIND_BEFORE: '1s', REMINDER_INTERVAL: '1s', REMINDER_CLAIM: '3s',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await waitForPort(port, 30_000);
  const api = client(`http://127.0.0.1:${port}`);
  // Sign-ins are remembered (AUTH_CACHE_SECONDS): the password checks (scrypt, slow here) happen
  // now, so the answers right after a notice take milliseconds, well inside REMIND_AFTER.
  for (const who of [OWNER, ALICE, BOB]) expect((await api('GET', '/', { auth: basic(who) })).status).toBe(200);
  return { child, api };
}

async function kill9(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Proposed to Alice, Bob and Carol; Alice and Bob answer at once (their accounts). */
async function proposed(api: ReturnType<typeof client>, respondBy?: Date): Promise<number> {
  const e = (await api('POST', '/', { auth: basic(OWNER), body: {
    title: 'Quarterly review', parties: [ALICE, BOB, CAROL], slots: THREE_SLOTS, ...(respondBy && { respond_by: respondBy.toISOString() }),
  } })).body;
  expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB, CAROL], slots: e.slots } })).status).toBe(202);
  for (const who of respondBy ? [ALICE] : [ALICE, BOB]) {
    expect((await api('PATCH', `/${e.id}/`, { auth: basic(who), body: { slots: e.slots } })).status).toBe(202);
  }
  return e.id;
}

const ofEvent = (id: number) => (m: CaughtMail) => m.parsed.headers.get('x-calndro-event') === String(id);
/** Distinct mails by Message-ID (the outbox may resend one after a crash: the same message). */
function distinct(id: number, subject: RegExp): CaughtMail[] {
  const seen = new Map<string, CaughtMail>();
  for (const m of catcher.messages) if (ofEvent(id)(m) && subject.test(m.parsed.subject ?? '')) seen.set(m.parsed.messageId!, m);
  return [...seen.values()];
}
async function waitUntil(what: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!what() && Date.now() < until) await sleep(100);
  return what();
}
async function logOf(api: ReturnType<typeof client>, id: number, occurrence: string) {
  const entries = (await api('GET', `/${id}/log/?limit=500`, { auth: basic(OWNER) })).body.entries as { occurrence: string; when: string; data: Record<string, unknown> }[];
  return entries.filter((e) => e.occurrence === occurrence);
}

it('a kill -9 of the app between the two reminders: still exactly two to the silent party, none to anyone else', async () => {
  const first = await startApp();
  const id = await proposed(first.api);
  expect(await waitUntil(() => distinct(id, /^Reminder:/).length === 1, 20_000)).toBe(true);
  await kill9(first.child);

  const second = await startApp();
  expect(await waitUntil(() => distinct(id, /^Reminder:/).length === 2, 30_000)).toBe(true);
  // Longer than another reminder would take (8 s after the second).
  await sleep(9_000);
  const reminders = distinct(id, /^Reminder:/);
  expect(reminders.map((m) => m.envelope.to)).toEqual([[CAROL], [CAROL]]);
  const log = await logOf(second.api, id, 'REMIND');
  expect(log.map((e) => [e.data.recipient, e.data.reminder])).toEqual([[CAROL, 1], [CAROL, 2]]);
  // Spaced as configured, or later when the restart took longer than the wait.
  expect(Date.parse(log[1]!.when) - Date.parse(log[0]!.when)).toBeGreaterThanOrEqual(4_000);
  expect(reminders[1]!.parsed.text).toContain('This is the last reminder');
  await stop(second.child);
}, 120_000);

it.runIf(usingPostgres())('two instances on PostgreSQL: each reminder and the summary once (2 reminders, never 4)', async () => {
  const [a, b] = await Promise.all([startApp(), startApp()]);
  const plain = await proposed(a.api);
  const deadline = new Date(Date.now() + 6_000);
  const dated = await proposed(b.api, deadline);
  const summaries = () => distinct(dated, /^Answers so far/);
  expect(await waitUntil(() => distinct(plain, /^Reminder:/).length === 2 && summaries().length === 1, 30_000)).toBe(true);
  await sleep(9_000);
  expect(distinct(plain, /^Reminder:/).map((m) => m.envelope.to)).toEqual([[CAROL], [CAROL]]);
  expect((await logOf(a.api, plain, 'REMIND')).map((e) => e.data.recipient)).toEqual([CAROL, CAROL]);
  // With the deadline: Bob and Carol each at the half and 1 s before it; the summary once, to the organizer.
  expect((await logOf(b.api, dated, 'REMIND')).map((e) => e.data.recipient).sort()).toEqual([BOB, BOB, CAROL, CAROL]);
  expect(summaries().map((m) => m.envelope.to)).toEqual([[OWNER]]);
  expect(await logOf(a.api, dated, 'SUMMARY')).toHaveLength(1);
  await Promise.all([stop(a.child), stop(b.child)]);
}, 120_000);
