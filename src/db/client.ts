// Prisma client factory: SQLite (better-sqlite3 adapter) or PostgreSQL (pg adapter), chosen by
// DATABASE_URL. Both generated clients share one schema, so one TypeScript type serves both.
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.js';

export type Db = InstanceType<typeof SqliteClient>;
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

export function createDatabase(url: string, opts: { poolSize?: number } = {}): Database {
  if (providerOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    mkdirSync(dirname(file), { recursive: true });
    const adapter = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
    return { db: new SqliteClient({ adapter }), provider: 'sqlite', location: file };
  }
  const adapter = new PrismaPg({ connectionString: url, max: opts.poolSize ?? 10 });
  return { db: new PostgresClient({ adapter }) as unknown as Db, provider: 'postgresql', location: url };
}
