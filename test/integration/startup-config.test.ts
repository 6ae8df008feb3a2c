// The real process refuses to start on a bad address setting, naming the variable, instead of
// starting and failing every notification later.
import { expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the server entry as `npm run dev` does (tsx), killed after `timeoutMs` if it keeps running. */
async function start(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'calndro-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, PORT: String(await freePort()), SMTP_ENABLED: 'false', OUTBOX_ENABLED: 'false', LOG_LEVEL: 'warn',
      DATABASE_URL: `file:${join(dir, 'calndro.db')}`, DATA_DIR: dir, ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr };
}

it('a bad MAIL_FROM (and MAIL_DOMAIN) stops the start with exit 2 and a message naming each', async () => {
  const r = await start({ MAIL_FROM: 'calndro bot@example.org', MAIL_DOMAIN: 'localhost' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^ {2}- MAIL_FROM: must be an address/m);
  expect(r.stderr).toMatch(/^ {2}- MAIL_DOMAIN: must be a domain name/m);
});
