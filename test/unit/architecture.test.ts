// ARCHITECTURE practice 8, "the boundary is checked, not hoped for": the rules in
// .dependency-cruiser.cjs (domain purity, doors apart, doors and the scheduler off src/db, no cycles, public
// library APIs only, no orphans) hold for the whole project, and they do catch what they forbid.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** What `npm run lint:deps` cruises. */
const PROJECT = ['src', 'test', 'bench', 'scripts', 'bin', 'vitest.config.ts', 'prisma.config.ts'];

/** Violations as "rule: from → to", a package's file shortened to node_modules/…. */
async function violations(baseDir: string, paths: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise(paths, { ...options, baseDir }, undefined, { tsConfig });
  return (output as ICruiseResult).summary.violations
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*node_modules\//, 'node_modules/')}`)
    .sort();
}

describe('the dependency rules hold for the project', () => {
  it('finds no violation in src, test, bench, scripts, bin and the root configs', async () => {
    expect(await violations(ROOT, PROJECT)).toEqual([]);
  });
});

describe('the dependency rules bite (a small tree with one breach of each)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calndro-depcruise-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The project's packages and manifest, so packages resolve and classify as they do here.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  const files: Record<string, string> = {
    'src/domain/ports.ts': 'export interface Store { get(id: number): number }',
    'src/domain/op.ts': [
      "import { z } from 'zod';",
      "import type { Store } from './ports.js';",
      "import { store } from '../db/store.js';",
      "import type { FastifyInstance } from 'fastify';",
      "import { createHash } from 'node:crypto';",
      'export const op = (s: Store, app?: FastifyInstance) => [z.number().parse(s.get(1)), store, app, createHash];',
    ].join('\n'),
    'src/db/store.ts': "import type { Store } from '../domain/ports.js';\nexport const store: Store = { get: (id) => id };",
    'src/mail/shared.ts': 'export const shared = 1;',
    'src/mail/inbound/door.ts': [
      "import { op } from '../../domain/op.js';",
      "import { shared } from '../shared.js';",
      "import { store } from '../../db/store.js';",
      "import { send } from '../outbound/door.js';",
      'export const door = [op, shared, store, send];',
    ].join('\n'),
    'src/mail/outbound/door.ts': [
      "import nodemailer from 'nodemailer';",
      "import MailComposer from 'nodemailer/lib/mail-composer';",
      "import MimeNode from 'nodemailer/lib/mime-node';",
      "import { shared } from '../shared.js';",
      'export const send = [nodemailer, MailComposer, MimeNode, shared];',
    ].join('\n'),
    'src/http/a.ts': "import { b } from './b.js';\nimport picomatch from 'picomatch';\nexport const a = () => [b, picomatch];",
    'src/http/b.ts': "import { a } from './a.js';\nexport const b = () => a;",
    'src/http/main.ts': "import { a } from './a.js';\nimport { door } from '../mail/inbound/door.js';\nimport './gone.js';\nexport default [a, door];",
    'src/cli/lonely.ts': 'export const lonely = 1;',
    'src/scheduler/job.ts': "import { store } from '../db/store.js';\nexport const job = store;",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `${text}\n`);
  }

  it('reports each breach under its rule, and nothing that is allowed', async () => {
    expect(await violations(dir, ['src'])).toEqual([
      'domain-imports-only-domain: src/domain/op.ts → src/db/store.ts',
      'domain-imports-only-zod: src/domain/op.ts → crypto',
      'domain-imports-only-zod: src/domain/op.ts → node_modules/fastify/fastify.js',
      'doors-not-db: src/mail/inbound/door.ts → src/db/store.ts',
      'doors-not-each-other: src/http/main.ts → src/mail/inbound/door.ts',
      'doors-not-each-other: src/mail/inbound/door.ts → src/mail/outbound/door.ts',
      'no-circular: src/http/a.ts → src/http/b.ts',
      'no-deep-imports: src/http/a.ts → node_modules/picomatch/index.js',
      'no-deep-imports: src/mail/outbound/door.ts → node_modules/nodemailer/dist/esm/mime-node/index.js',
      'no-non-package-json: src/http/a.ts → node_modules/picomatch/index.js',
      'no-orphans: src/cli/lonely.ts → src/cli/lonely.ts',
      'not-to-unresolvable: src/http/main.ts → ./gone.js',
      'scheduler-through-ports: src/scheduler/job.ts → src/db/store.ts',
    ]);
  });
});
