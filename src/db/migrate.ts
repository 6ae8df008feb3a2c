// Applies the SQL migrations in prisma/migrations (SQLite) or prisma/postgres/migrations.
// Our own runner instead of `prisma migrate deploy`: the Prisma CLI cannot migrate PostgreSQL
// offline (prisma/orm#27403) and would cost seconds at every start. Each migration runs in a
// transaction, is recorded with its checksum, and concurrent starters wait on a lock.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqlitePath, type Provider } from './client.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIRS: Record<Provider, string> = {
  sqlite: join(root, 'prisma', 'migrations'),
  postgresql: join(root, 'prisma', 'postgres', 'migrations'),
};
const TABLE = 'calndro_migrations';
const PG_LOCK_ID = 727_001;

export interface Migration { name: string; sql: string; checksum: string }

export function loadMigrations(provider: Provider): Migration[] {
  const dir = DIRS[provider];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => /^\d{4}_/.test(d))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function pending(all: Migration[], applied: Map<string, string>): Migration[] {
  for (const [name, checksum] of applied) {
    const m = all.find((x) => x.name === name);
    if (m && m.checksum !== checksum) throw new Error(`Migration ${name} was changed after it was applied.`);
  }
  return all.filter((m) => !applied.has(m.name));
}

function migrateSqlite(file: string, migrations: Migration[]): string[] {
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  try {
    // WAL lets readers run while the writer commits; NORMAL is durable across app crashes.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const done: string[] = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      const rows = db.prepare(`SELECT name, checksum FROM ${TABLE}`).all() as { name: string; checksum: string }[];
      for (const m of pending(migrations, new Map(rows.map((r) => [r.name, r.checksum])))) {
        db.exec(m.sql);
        db.prepare(`INSERT INTO ${TABLE} VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`).run(m.name, m.checksum);
        done.push(m.name);
      }
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
    return done;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${TABLE}`);
    const done: string[] = [];
    for (const m of pending(migrations, new Map(rows.map((r) => [r.name, r.checksum])))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO ${TABLE} VALUES ($1, $2, now())`, [m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_ID]).catch(() => {});
    await client.end();
  }
}

/** Brings the database at `url` up to date; returns the names of migrations applied now. */
export async function migrate(url: string): Promise<string[]> {
  const provider = providerOf(url);
  const migrations = loadMigrations(provider);
  return provider === 'sqlite' ? migrateSqlite(sqlitePath(url), migrations) : migratePostgres(url, migrations);
}
