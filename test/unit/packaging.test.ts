// The files no test can run here (no Docker engine) and the package layout, checked as text:
// the image's /data volume, MailHog's ports, what the runtime depends on.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Dockerfile instructions of the last (runtime) stage, continuation lines joined. */
function runtimeStage(): string[] {
  const lines = read('Dockerfile').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const from = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).at(-1)!;
  return lines.slice(from);
}

describe('Dockerfile', () => {
  const stage = runtimeStage();
  const at = (re: RegExp) => stage.findIndex((l) => re.test(l));

  // BUG (Hardening): /data was never created, so a new named volume came up owned by root and
  // the node user could not create the SQLite file.
  it('creates /data owned by node before declaring the volume, and runs as node', () => {
    const mkdir = at(/^RUN\s.*\bmkdir\s+(-p\s+)?\/data\b/);
    const chown = at(/^RUN\s.*\bchown\s+(-R\s+)?node(:node)?\s+\/data\b/);
    const volume = at(/^VOLUME\s+\/data$/);
    const user = at(/^USER\s+node$/);
    expect(mkdir).toBeGreaterThan(0);
    expect(chown).toBeGreaterThanOrEqual(mkdir);
    expect(volume).toBeGreaterThan(chown);
    expect(user).toBeGreaterThan(volume);
    expect(at(/^CMD\s/)).toBeGreaterThan(user);
    expect(stage.filter((l) => /^USER\s/.test(l))).toEqual(['USER node']);
  });

  it('keeps its data in the volume and runs the build', () => {
    const env = stage.find((l) => /^ENV\s/.test(l))!;
    expect(env).toMatch(/\bDATA_DIR=\/data\b/);
    expect(env).toMatch(/\bDATABASE_URL=file:\/data\//);
    expect(stage.find((l) => /^CMD\s/.test(l))).toContain('dist/main.js');
  });

  it('drops the build tools after building', () => {
    expect(read('Dockerfile')).toMatch(/npm run build && npm prune --omit=dev --omit=optional/);
  });
});

describe('docker-compose.yaml', () => {
  const compose = parse(read('docker-compose.yaml')) as { services: Record<string, { ports?: string[]; environment?: Record<string, string> }> };

  // MailHog shows every mail, personal links and tokens included: this machine only.
  it('publishes MailHog on 127.0.0.1 only', () => {
    const ports = compose.services.mailhog!.ports!;
    expect(ports.length).toBeGreaterThan(0);
    for (const p of ports) expect(String(p)).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it("the app's environment passes the configuration checks (defaults of ${VAR:-x} taken)", () => {
    const env = Object.fromEntries(Object.entries(compose.services.app!.environment!)
      .map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
    const c = parseConfig(env);
    // MailHog has no STARTTLS: the compose network's relay is named, so this must be explicit.
    expect(c.SMTP_URL).toBe('smtp://mailhog:1025');
    expect(c.SMTP_REQUIRE_TLS).toBe(false);
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };

  it('tsx, the prisma CLI and TypeScript are build-time only', () => {
    for (const name of ['tsx', 'prisma', 'typescript']) {
      expect(pkg.dependencies).not.toHaveProperty(name);
      expect(pkg.devDependencies).toHaveProperty(name);
    }
  });

  it('cli and tui run the build, and build first (a fresh checkout has no dist/)', () => {
    for (const name of ['cli', 'tui']) {
      expect(pkg.scripts[name]).toMatch(/^node dist\/cli\/main\.js\b/);
      expect(pkg.scripts[`pre${name}`]).toBe('npm run -s build');
    }
    expect(read('bin/calndro.js')).toContain('../dist/cli/main.js');
    expect(read('bin/calndro.js')).not.toMatch(/['"]tsx/);
  });

  it('src imports tsx only from the development shims', () => {
    const walk = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const users = walk('src').filter((f) => /\.(ts|mjs|js)$/.test(f) && /from ['"](tsx|prisma)(\/|['"])/.test(read(f)));
    expect(users).toEqual(['src/threads/thread-dev.mjs']);
  });

  // maildev 3.0.0 answers the root URL with 404 unless the request accepts text/html (see
  // test/integration/dev-inbox.test.ts, which runs it).
  it('pins the dev inbox to maildev 2.x', () => {
    expect(pkg.devDependencies.maildev).toMatch(/^2\.\d+\.\d+$/);
  });
});
