// The real entry point (src/main.ts) at LOG_LEVEL=debug logs every request line; an event token
// sent as ?et= (however its key is spelled in the URL) never appears in that output.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, sleep, waitForPort } from '../helpers/free-ports.js';

let db: TestDatabase;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await db?.drop();
});

it('LOG_LEVEL=debug never prints an event token from the URL', async () => {
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: db.url, DATA_DIR: db.dataDir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'debug', SMTP_ENABLED: 'false', OUTBOX_ENABLED: 'false', MAIL_DOMAIN: 'calndro.test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await waitForPort(port, 30_000);

  const tokens = Array.from({ length: 4 }, () => randomBytes(20).toString('hex'));
  const base = `http://127.0.0.1:${port}`;
  const paths = [`/1/?et=${tokens[0]}`, `/1/log/?x=1&et=${tokens[1]}`, `/1/?%65t=${tokens[2]}`, `/1?et=${tokens[3]}`];
  for (const path of paths) await fetch(`${base}${path}`, { redirect: 'manual' });
  // The last request's completion line shows every earlier line was written.
  const until = Date.now() + 10_000;
  while ((output.match(/request completed/g) ?? []).length < paths.length && Date.now() < until) {
    await sleep(50);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child!.once('exit', r));

  expect((output.match(/incoming request/g) ?? []).length).toBeGreaterThanOrEqual(paths.length);
  expect(output).toContain('"url":"/1/?et=[redacted]"');
  expect(output).toContain('"url":"/1/log/?x=1&et=[redacted]"');
  for (const token of tokens) expect(output).not.toContain(token);
});
