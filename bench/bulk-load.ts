// Loads generated rows straight into a migrated database, bypassing the app: fine for a
// benchmark's seed, where going through the domain would take an hour for a million rows.
// SQLite: one prepared statement per table, all in one transaction. PostgreSQL: multi-row
// INSERTs of thousands of rows in one transaction, then the id sequences moved past the rows.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqlitePath } from '../src/db/client.js';
import { toSqliteTime } from '../src/db/sqlite-time.js';
import type { Table } from './scale-data.js';

/** PostgreSQL takes at most 65,535 parameters per statement. */
const PG_MAX_PARAMS = 65_000;

const quoted = (columns: string[]) => columns.map((c) => `"${c}"`).join(', ');

/** Inserts every table's rows in order; returns how many rows that was. */
export async function bulkLoad(url: string, tables: Table[]): Promise<number> {
  return providerOf(url) === 'sqlite' ? loadSqlite(sqlitePath(url), tables) : loadPostgres(url, tables);
}

function loadSqlite(file: string, tables: Table[]): number {
  const db = new BetterSqlite3(file);
  // Booleans and dates as Prisma's SQLite adapter stores them.
  const value = (v: unknown) => (v instanceof Date ? toSqliteTime(v) : typeof v === 'boolean' ? Number(v) : v);
  let count = 0;
  try {
    db.transaction(() => {
      for (const t of tables) {
        const insert = db.prepare(`INSERT INTO "${t.name}" (${quoted(t.columns)}) VALUES (${t.columns.map(() => '?').join(', ')})`);
        for (const row of t.rows()) count += insert.run(row.map(value)).changes;
      }
    })();
    return count;
  } finally {
    db.close();
  }
}

async function loadPostgres(url: string, tables: Table[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Prisma's DateTime is timestamp(3) without time zone, holding UTC.
  const value = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  let count = 0;
  try {
    await client.query('BEGIN');
    for (const t of tables) {
      const perBatch = Math.floor(PG_MAX_PARAMS / t.columns.length);
      let batch: unknown[][] = [];
      const flush = async () => {
        if (!batch.length) return;
        const tuples = batch.map((_, r) => `(${t.columns.map((_c, c) => `$${r * t.columns.length + c + 1}`).join(', ')})`);
        count += (await client.query(`INSERT INTO "${t.name}" (${quoted(t.columns)}) VALUES ${tuples.join(', ')}`, batch.flat().map(value))).rowCount ?? 0;
        batch = [];
      };
      for (const row of t.rows()) {
        batch.push(row);
        if (batch.length === perBatch) await flush();
      }
      await flush();
      if (t.columns.includes('id')) {
        await client.query(`SELECT setval(pg_get_serial_sequence('"${t.name}"', 'id'), (SELECT max(id) FROM "${t.name}"))`);
      }
    }
    await client.query('COMMIT');
    // What autovacuum does soon after a bulk change on a running server.
    await client.query('ANALYZE');
    return count;
  } finally {
    await client.end();
  }
}
