// npm run bench:plans — the page queries of SPEC §13 on a big database: 1,000 users, 100,000
// events with 3 parties each, 1,000,000 log entries (100,000 of them on event 1). SQLite: the
// fast path's statements, EXPLAIN QUERY PLAN and their time on the first, a middle and the last
// page. PostgreSQL (BENCH_PG_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres; skipped
// without it): the stores' own Prisma queries, captured as Prisma sends them, EXPLAIN ANALYZE.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../src/db/generated/postgres/client.js';
import { migrate } from '../src/db/migrate.js';
import { createSerial } from '../src/db/serial.js';
import { createEventStore } from '../src/db/event-store.js';
import { createLogStore } from '../src/db/log-store.js';
import type { Db } from '../src/db/client.js';
import { ALL_EVENTS_PAGE, LOG_LATEST, LOG_PAGE, VISIBLE_EVENTS_PAGE } from '../src/db/sqlite-page-sql.js';
import { tempDir } from './lib.js';

const USERS = 1_000;
const EVENTS = 100_000;
const ENTRIES = 1_000_000;
const LIMIT = 101; // a page of 100 and the row that tells whether there is a next one
const USER = 7;

/** The same rows on both databases: `series(n, g)` is a table `g` of column n = 1..n; `t` a timestamp. */
function seedSql(series: (n: number, alias: string) => string, t: string, yes: string): string[] {
  return [
    `INSERT INTO "User" (email, "isActive", "createdAt") SELECT 'u' || n || '@example.com', ${yes}, ${t} FROM ${series(USERS, 'g')}`,
    `INSERT INTO "Event" (title, "ownerId", parties, slots, "createdAt", "updatedAt") SELECT 'E' || n, n % ${USERS} + 1, '[]', '[]', ${t}, ${t} FROM ${series(EVENTS, 'g')}`,
    `INSERT INTO "EventParty" ("eventId", "userId") SELECT DISTINCT e.n, (e.n * 7 + k.n * 131) % ${USERS} + 1 FROM ${series(EVENTS, 'e')}, ${series(3, 'k')}`,
    `INSERT INTO "LogEntry" ("eventId", "when", occurrence, effector, slots, data)
      SELECT CASE WHEN n % 10 = 0 THEN 1 ELSE n % ${EVENTS} + 1 END, ${t}, 'VIEW', 'u1@example.com', '[]', '{}' FROM ${series(ENTRIES, 'g')}`,
  ];
}

async function sqlite(): Promise<void> {
  const file = join(tempDir('calndro-plans-'), 'plans.db');
  await migrate(`file:${file}`);
  const db = new BetterSqlite3(file);
  const started = Date.now();
  db.transaction(() => {
    const series = (n: number, alias: string) => `(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${n}) SELECT n FROM s) ${alias}`;
    for (const sql of seedSql(series, "'2031-01-01T00:00:00.000+00:00'", '1')) db.exec(sql);
  })();
  console.log(`SQLite: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (no ANALYZE: the app runs none)\n`);
  const queries: [string, string, (at: number) => object][] = [
    ['staff list page', ALL_EVENTS_PAGE, (at) => ({ after: at * EVENTS, limit: LIMIT })],
    [`user ${USER}'s list page`, VISIBLE_EVENTS_PAGE, (at) => ({ user: USER, after: at * EVENTS, limit: LIMIT })],
    ['log page (event 1, oldest first)', LOG_PAGE, (at) => ({ event: 1, after: at * ENTRIES, limit: LIMIT })],
    ['log page (event 1, newest first)', LOG_LATEST, (at) => ({ event: 1, before: ENTRIES + 1 - at * ENTRIES, limit: LIMIT })],
  ];
  for (const [name, sql, params] of queries) {
    console.log(`-- ${name}`);
    for (const row of db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params(0)) as { id: number; parent: number; detail: string }[]) {
      console.log(`   ${row.detail}`);
    }
    const statement = db.prepare(sql);
    const times = [0, 0.5, 0.99].map((at) => {
      const p = params(at);
      statement.all(p);
      const t = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) statement.all(p);
      return `${(Number(process.hrtime.bigint() - t) / 200 / 1000).toFixed(0)} µs`;
    });
    console.log(`   first / middle / last page: ${times.join(' / ')}\n`);
  }
  db.close();
}

async function postgres(base: string): Promise<void> {
  const name = `calndro_plans_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString() }), log: [{ emit: 'event', level: 'query' }] });
  try {
    await migrate(url.toString());
    await client.connect();
    const started = Date.now();
    for (const sql of seedSql((n, alias) => `generate_series(1, ${n}) ${alias}(n)`, 'now()', 'true')) await client.query(sql);
    await client.query('ANALYZE');
    console.log(`PostgreSQL: seeded and analyzed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const sent: { query: string; params: string }[] = [];
    prisma.$on('query', (e) => sent.push({ query: e.query, params: e.params }));
    const db = prisma as unknown as Db;
    const events = createEventStore(db, createSerial(false), 'plans.invalid', () => new Date());
    const log = createLogStore(db, createSerial(false), () => new Date());
    const pages: [string, () => Promise<unknown>][] = [
      ['staff list page (middle)', () => events.listVisibleTo(0, true, { limit: LIMIT, after: EVENTS / 2 })],
      [`user ${USER}'s list page (middle)`, () => events.listVisibleTo(USER, false, { limit: LIMIT, after: EVENTS / 2 })],
      ['log page (event 1, oldest first, middle)', () => log.list(1, { limit: LIMIT, after: ENTRIES / 2 })],
      ['log page (event 1, newest first)', () => log.latest(1, { limit: LIMIT })],
      ['log page (event 5: 9 entries, newest first)', () => log.latest(5, { limit: LIMIT })],
    ];
    for (const [title, read] of pages) {
      sent.length = 0;
      await read();
      console.log(`== ${title}: ${sent.length} quer${sent.length === 1 ? 'y' : 'ies'}`);
      for (const { query, params } of sent) {
        console.log(`-- ${query.replace(/"public"\./g, '').replace(/\s+/g, ' ')}\n   params ${params.length > 120 ? `${params.slice(0, 120)}…` : params}`);
        const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${query}`, JSON.parse(params) as unknown[]);
        for (const row of plan.rows) console.log(`   ${row['QUERY PLAN']}`);
      }
      console.log('');
    }
  } finally {
    await prisma.$disconnect();
    await client.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await sqlite();
if (process.env.BENCH_PG_URL) await postgres(process.env.BENCH_PG_URL);
else console.log('PostgreSQL skipped: set BENCH_PG_URL=postgresql://… to see its plans.');
