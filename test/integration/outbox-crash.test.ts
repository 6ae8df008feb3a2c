// The outbox worker is a separate process killed (SIGKILL) in the middle of a batch and started
// again: every row is delivered, and by Message-ID exactly once (a resend after the crash
// carries the same Message-ID, so receivers see one message).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, sleep } from '../helpers/free-ports.js';
import { notifyParties } from '../../src/domain/events/notify-parties.js';
import { createEvent } from '../../src/domain/events/create-event.js';
import { OWNER, addStandardUsers } from '../helpers/fixtures.js';

let db: TestDatabase;
let catcher: MailCatcher;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  catcher = await startMailCatcher();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await catcher?.stop();
  await db?.drop();
});

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: db.url, DATA_DIR: db.dataDir, PORT: String(await freePort()), LOG_LEVEL: 'warn',
      SMTP_ENABLED: 'false', OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, MAIL_DOMAIN: 'calndro.test',
      OUTBOX_BATCH_SIZE: '40', OUTBOX_CONCURRENCY: '4', OUTBOX_POLL_MS: '50', OUTBOX_LOCK_SECONDS: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

it('delivers every row exactly once by Message-ID across a SIGKILL mid-batch', async () => {
  // Queue 240 notifications with the outbox disabled in this process.
  const t: TestServer = await startTestServer({}, db);
  await addStandardUsers(t);
  const { deps } = t.server.appDeps;
  const owner = (await deps.users.findByEmail(OWNER))!;
  for (let n = 0; n < 3; n++) {
    const parties = Array.from({ length: 80 }, (_, i) => `p${n}-${i}@example.com`);
    const slots = [{ begin: `2031-0${n + 1}-01T10:00:00Z`, duration: '01:00' }];
    const e = await createEvent(deps, { actor: { kind: 'user', user: owner }, via: 'cli' }, { parties, slots });
    await notifyParties(deps, { actor: { kind: 'user', user: owner }, via: 'cli' }, e.id, { parties, slots });
  }
  const rows = await t.server.appDeps.stores.database.db.outboxMessage.findMany({ select: { messageId: true } });
  await t.stop();
  expect(rows).toHaveLength(240);

  catcher.setDelay(15);
  const first = await startWorker();
  await catcher.waitForCount(60, 60_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const atKill = catcher.messages.length;
  expect(atKill).toBeLessThan(240);

  catcher.setDelay(0);
  const second = await startWorker();
  const until = Date.now() + 90_000;
  const wanted = new Set(rows.map((r) => r.messageId));
  while (Date.now() < until) {
    const seen = new Set(catcher.messages.map((m) => m.parsed.messageId));
    if ([...wanted].every((id) => seen.has(id))) break;
    await sleep(200);
  }
  second.kill('SIGTERM');
  await new Promise((r) => second.once('exit', r));

  const ids = catcher.messages.map((m) => m.parsed.messageId!);
  const distinct = new Set(ids);
  expect(distinct.size).toBe(240);
  expect([...wanted].every((id) => distinct.has(id))).toBe(true);
  // Each copy of a resent row is the same message: same Message-ID, same recipient.
  const recipientOf = new Map<string, string>();
  for (const m of catcher.messages) {
    const r = m.envelope.to.join(',');
    expect(recipientOf.get(m.parsed.messageId!) ?? r).toBe(r);
    recipientOf.set(m.parsed.messageId!, r);
  }
  console.log(`outbox crash test: ${atKill} delivered before SIGKILL, ${ids.length - distinct.size} resent copies after restart`);
}, 180_000);
