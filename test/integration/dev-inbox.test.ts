// The dev inbox the README points to: `npm run dev:inbox` exactly as package.json says (on free
// ports), the app's outbox delivering into it, and its root URL (the one the README prints)
// showing the notification in headless Chromium and answering plain HTTP clients too.
import { readFileSync, existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { mailEnv, startTestServer, type TestServer } from '../helpers/server.js';
import { client } from '../helpers/api.js';
import { addStandardUsers, ALICE, basic, OWNER, outboxRows } from '../helpers/fixtures.js';
import { freePort, sleep, waitForPort } from '../helpers/free-ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let inbox: ChildProcess;
let web: number;
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package "chromium", or set CHROMIUM_PATH.`);
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['dev:inbox'];
  const smtp = await freePort();
  web = await freePort();
  const command = script.replace('--smtp 1025', `--smtp ${smtp}`).replace('--web 8025', `--web ${web}`);
  expect(command).not.toBe(script);
  // As npm runs a script: through the shell, with node_modules/.bin on PATH. Its own process
  // group, so the shell and maildev stop together.
  inbox = spawn('sh', ['-c', command], {
    cwd: ROOT, detached: true, stdio: 'ignore',
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` },
  });
  await Promise.all([waitForPort(smtp, 20_000), waitForPort(web, 20_000)]);
  t = await startTestServer(mailEnv(smtp));
  await addStandardUsers(t);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (inbox?.pid) process.kill(-inbox.pid, 'SIGTERM');
});

it('shows a notification the app sent at the inbox root URL', async () => {
  const api = client(t.url);
  const title = `Dev inbox check ${Date.now()}`;
  const slots = [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }];
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title, parties: [ALICE], slots } })).body;
  expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } })).status).toBe(202);
  for (const until = Date.now() + 15_000; ;) {
    const rows = await outboxRows(t, e.id);
    if (rows.length && rows.every((r) => r.status === 'sent')) break;
    if (Date.now() > until) throw new Error(`not delivered to the dev inbox: ${rows.map((r) => r.status).join(',')}`);
    await sleep(100);
  }

  const root = `http://127.0.0.1:${web}/`;
  // BUG (Hardening): maildev 3.0.0 served the UI at / only to requests that accept text/html;
  // curl, httpie and link checkers got 404 {"error":"Not found"}.
  const plain = await fetch(root);
  expect(plain.status).toBe(200);
  expect(plain.headers.get('content-type')).toMatch(/text\/html/);

  const page = await browser.newPage();
  try {
    const response = await page.goto(root);
    expect(response?.status()).toBe(200);
    await page.getByText(title).first().waitFor({ timeout: 15_000 });
  } finally {
    await page.close();
  }
});
