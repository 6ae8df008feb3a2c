// Writes the next migration for both databases from the change between the schema at the
// last migration (prisma/migrations/schema-at-last-migration.prisma) and prisma/schema.prisma.
// `migrate dev` cannot be used: it fails offline on an empty SQLite file (P1014) and on
// PostgreSQL (prisma/orm#27403); `migrate diff` works on both.
// Usage: node scripts/new-migration.mjs <name>  (needs a reachable PostgreSQL: MIGRATION_PG_URL)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <snake_case_name>');
  process.exit(2);
}
const prisma = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const current = join(root, 'prisma', 'schema.prisma');
const snapshot = join(root, 'prisma', 'migrations', 'schema-at-last-migration.prisma');
const tmp = mkdtempSync(join(tmpdir(), 'calndro-mig-'));

const targets = [
  { dir: join(root, 'prisma', 'migrations'), config: join(root, 'prisma.config.ts'),
    url: 'file::memory:', provider: 'sqlite' },
  { dir: join(root, 'prisma', 'postgres', 'migrations'), config: join(root, 'prisma', 'postgres', 'prisma.config.ts'),
    url: process.env.MIGRATION_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', provider: 'postgresql' },
];

for (const t of targets) {
  mkdirSync(t.dir, { recursive: true });
  const withProvider = (file) => {
    const out = join(tmp, `${t.provider}-${file === current ? 'to' : 'from'}.prisma`);
    writeFileSync(out, readFileSync(file, 'utf8').replace('provider = "sqlite"', `provider = "${t.provider}"`));
    return out;
  };
  const from = existsSync(snapshot) ? ['--from-schema-datamodel', withProvider(snapshot)] : ['--from-empty'];
  const sql = execFileSync(process.execPath, [prisma, 'migrate', 'diff', '--config', t.config, ...from,
    '--to-schema-datamodel', withProvider(current), '--script'],
  { cwd: root, env: { ...process.env, CALNDRO_PRISMA_URL: t.url }, encoding: 'utf8' });
  const n = readdirSync(t.dir).filter((d) => /^\d{4}_/.test(d)).length + 1;
  const out = join(t.dir, `${String(n).padStart(4, '0')}_${name}`);
  mkdirSync(out);
  writeFileSync(join(out, 'migration.sql'), sql);
  console.log(`wrote ${out}/migration.sql`);
}
copyFileSync(current, snapshot);
