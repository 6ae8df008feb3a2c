// Prisma client factory: SQLite (better-sqlite3 adapter) or PostgreSQL (pg adapter), chosen by
// DATABASE_URL. Both generated clients share one schema, so one TypeScript type serves both.
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { SQLITE_TIMESTAMP_FORMAT } from './sqlite-time.js';

// Each generated client carries its own query compiler (WASM, tens of MB): load only the one
// the configured database needs.
export type Db = SqliteClient;
export type Provider = 'sqlite' | 'postgresql';

export interface Database {
  db: Db;
  provider: Provider;
  /** Absolute file path (SQLite) or connection string (PostgreSQL). */
  location: string;
}

export function providerOf(url: string): Provider {
  return url.startsWith('file:') ? 'sqlite' : 'postgresql';
}

export function sqlitePath(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}

export async function createDatabase(url: string, opts: { poolSize?: number } = {}): Promise<Database> {
  if (providerOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    mkdirSync(dirname(file), { recursive: true });
    const [{ PrismaBetterSQLite3 }, { PrismaClient }] = await Promise.all([
      import('@prisma/adapter-better-sqlite3'), import('./generated/sqlite/client.js')]);
    // Stated, not left to the default: the fast path writes the same text (sqlite-time.ts).
    const adapter = new PrismaBetterSQLite3({ url: file, timeout: 10_000 }, { timestampFormat: SQLITE_TIMESTAMP_FORMAT });
    return { db: new PrismaClient({ adapter }), provider: 'sqlite', location: file };
  }
  const [{ PrismaPg }, { PrismaClient }] = await Promise.all([import('@prisma/adapter-pg'), import('./generated/postgres/client.js')]);
  const adapter = new PrismaPg({ connectionString: url, max: opts.poolSize ?? 10 });
  return { db: new PrismaClient({ adapter }) as unknown as Db, provider: 'postgresql', location: url };
}
