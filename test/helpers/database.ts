// A fresh database per test server: a SQLite file in a temp dir, or, when the suite runs with
// TEST_DATABASE=postgresql, a new PostgreSQL database on TEST_POSTGRES_URL's server.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

export function usingPostgres(): boolean {
  return process.env.TEST_DATABASE === 'postgresql';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'calndro-db-'));
  if (!usingPostgres()) {
    return { url: `file:${join(dataDir, 'calndro.db')}`, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error('TEST_DATABASE=postgresql needs TEST_POSTGRES_URL');
  const db = await scratchPostgres(base, `calndro_t_${randomBytes(6).toString('hex')}`);
  return {
    url: db.url,
    dataDir,
    async drop() {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new, empty database `name` on the server of `serverUrl` (one left by an aborted run is replaced). */
export async function scratchPostgres(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const drop = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await drop();
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}
