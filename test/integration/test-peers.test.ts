// `npm test` (scripts/test.mjs) on a machine without the test peers: it stops before any test,
// within seconds, naming every missing Debian package and the command that installs them.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('stops within seconds naming all missing packages and one install command', async () => {
  // An empty PATH dir: none of the peers (nor npx) is reachable; dovecot's and postfix's sbin
  // tools may still be found in /usr/sbin, as on a real machine.
  const emptyBin = mkdtempSync(join(tmpdir(), 'calndro-nopeers-'));
  const started = Date.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['scripts/test.mjs'], {
      cwd: ROOT, timeout: 60_000,
      env: { HOME: process.env.HOME, PATH: emptyBin, CHROMIUM_PATH: join(emptyBin, 'chromium') },
    }, (err, out, errOut) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout: out, stderr: errOut }));
  });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(code).toBe(1);
  expect(stdout).not.toContain('=== sqlite ===');
  const packages = ['swaks', 'httpie', 'jq', 'tmux', 'openssl', 'chromium'];
  const listed = /^Missing Debian packages: (.*)$/m.exec(stderr)?.[1]?.split(' ') ?? [];
  expect(listed).toEqual(expect.arrayContaining(packages));
  const command = stderr.split('\n').find((l) => l.includes('apt-get install'))!;
  expect(command).toContain('postfix postfix/main_mailer_type select No configuration');
  for (const pkg of listed) expect(command).toMatch(new RegExp(` ${pkg}( |'|$)`));
});
