// Generates both Prisma clients (SQLite and PostgreSQL) from the one schema in prisma/.
// The PostgreSQL schema is derived, not hand-edited: only the datasource and output differ.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteSchema = join(root, 'prisma', 'schema.prisma');
const pgSchema = join(root, 'prisma', 'postgres', 'schema.prisma');

export function derivePostgresSchema(text) {
  return text
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('../src/db/generated/sqlite', '../../src/db/generated/postgres')
    .replace(/^\/\/ The one source.*\n\/\/.*\n\/\/.*\n/m,
      '// GENERATED from prisma/schema.prisma by scripts/generate-clients.mjs: do not edit.\n');
}

mkdirSync(dirname(pgSchema), { recursive: true });
writeFileSync(pgSchema, derivePostgresSchema(readFileSync(sqliteSchema, 'utf8')));

const prisma = join(root, 'node_modules', 'prisma', 'build', 'index.js');
// The CLI insists on a datasource URL of the right scheme even for `generate`.
const configs = [
  [join(root, 'prisma.config.ts'), 'file::memory:'],
  [join(root, 'prisma', 'postgres', 'prisma.config.ts'), 'postgresql://unused@127.0.0.1/unused'],
];
for (const [config, url] of configs) {
  execFileSync(process.execPath, [prisma, 'generate', '--config', config], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CALNDRO_PRISMA_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}
