// The shape of a database's schema (tables, columns with type, nullability and default,
// indexes with their columns), read from the database itself, so that a database built by our
// migrations can be compared with one built from prisma/schema.prisma directly.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '../..');
/** src/db/migrate.ts's own bookkeeping table, not part of the data model. */
const MIGRATIONS_TABLE = 'calndro_migrations';

/**
 * The SQL Prisma writes for the whole schema on an empty database (`migrate diff --from-empty`).
 * PostgreSQL: the CLI connects to `url` through the config's adapter, though it changes nothing.
 */
export function schemaScript(provider: 'sqlite' | 'postgresql', url = 'file::memory:'): string {
  const config = provider === 'sqlite' ? join(ROOT, 'prisma.config.ts') : join(ROOT, 'prisma', 'postgres', 'prisma.config.ts');
  const schema = provider === 'sqlite' ? join(ROOT, 'prisma', 'schema.prisma') : join(ROOT, 'prisma', 'postgres', 'schema.prisma');
  return execFileSync(process.execPath, [join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff', '--config', config,
    '--from-empty', '--to-schema-datamodel', schema, '--script'], {
    cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, CALNDRO_PRISMA_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

export type SchemaShape = Record<string, { columns: string[]; indexes: string[] }>;

export function sqliteShape(file: string): SchemaShape {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?`)
      .all(MIGRATIONS_TABLE) as { name: string }[]).map((t) => t.name).sort();
    return Object.fromEntries(tables.map((t) => {
      const columns = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[])
        .map((c) => `${c.name} ${c.type} ${c.notnull ? 'NOT NULL' : 'NULL'} default=${c.dflt_value} pk=${c.pk}`).sort();
      const indexes = (db.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; unique: number }[]).map((i) => {
        const cols = (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name);
        return `${i.unique ? 'unique ' : ''}(${cols.join(', ')})`;
      }).sort();
      return [t, { columns, indexes }];
    }));
  } finally {
    db.close();
  }
}

export async function postgresShape(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: cols } = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> $1`, [MIGRATIONS_TABLE]);
    const { rows: idx } = await client.query<{ tablename: string; indexdef: string }>(
      `SELECT tablename, regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ', '\\1') AS indexdef FROM pg_indexes
       WHERE schemaname = 'public' AND tablename <> $1`, [MIGRATIONS_TABLE]);
    const shape: SchemaShape = {};
    for (const c of cols) {
      // Serial defaults name their sequence, which is the same either way: keep the kind.
      const dflt = c.column_default?.replace(/nextval\('[^']+'::regclass\)/, 'nextval(seq)') ?? null;
      (shape[c.table_name] ??= { columns: [], indexes: [] }).columns.push(`${c.column_name} ${c.data_type} ${c.is_nullable} default=${dflt}`);
    }
    for (const i of idx) shape[i.tablename]?.indexes.push(i.indexdef);
    for (const t of Object.values(shape)) { t.columns.sort(); t.indexes.sort(); }
    return shape;
  } finally {
    await client.end();
  }
}
