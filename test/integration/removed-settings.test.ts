// A removed setting that used to weaken security stops `npm start` with a message saying it
// was removed and why, rather than being ignored silently (the operator relied on it).
import { expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { freePort } from '../helpers/free-ports.js';

it('INBOUND_ALLOW_THREAD_MATCH=true stops the start (exit 2) naming the variable, the removal and the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calndro-removed-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: `file:${join(dir, 'c.db')}`, DATA_DIR: dir, PORT: String(await freePort()), SMTP_PORT: String(await freePort()),
      OUTBOX_ENABLED: 'false', LOG_LEVEL: 'warn', INBOUND_ALLOW_THREAD_MATCH: 'true',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // A server that starts anyway would run forever: give it a bounded time to exit.
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
  expect(code).toBe(2);
  expect(stderr).toMatch(/INBOUND_ALLOW_THREAD_MATCH: removed: a forged From plus a known Message-ID let anyone act as another party/);
  expect(stderr).toMatch(/reply\+<token> address only/);
}, 30_000);
