// Migration 0014 moves the link between a token and the mail that carried it from an index on
// OutboxMessage.tokenHash to EventToken.messageId. Tokens already mailed before the upgrade must
// still find their mail (a reply's numbers refer to its list): the migration fills the column
// from the old link before it drops the index. Run on the database the suite runs on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { loadMigrations } from '../../../src/db/migrate.js';
import { sqlitePath } from '../../../src/db/client.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../../helpers/database.js';

const LINK = '0014_token_mail_link';
const provider = usingPostgres() ? 'postgresql' : 'sqlite';
const all = loadMigrations(provider);
const before = all.filter((m) => m.name < LINK);
const link = all.find((m) => m.name === LINK)!;

/** Plain SQL on the test database, with `?` placeholders on both. */
interface Conn { exec(sql: string): Promise<void>; rows(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>; close(): Promise<void> }

async function connect(url: string): Promise<Conn> {
  if (provider === 'sqlite') {
    const db = new BetterSqlite3(sqlitePath(url));
    return { exec: async (sql) => void db.exec(sql), rows: async (sql, ...p) => db.prepare(sql).all(...p) as Record<string, unknown>[], close: async () => void db.close() };
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const numbered = (sql: string) => { let i = 0; return sql.replace(/\?/g, () => `$${++i}`); };
  return { exec: async (sql) => void (await c.query(sql)), rows: async (sql, ...p) => (await c.query(numbered(sql), p)).rows, close: () => c.end() };
}

let database: TestDatabase;
let conn: Conn;
beforeEach(async () => {
  database = await createTestDatabase();
  conn = await connect(database.url);
});
afterEach(async () => {
  await conn.close();
  await database.drop();
});

describe(`migration ${LINK} (${provider})`, () => {
  it('links every token already mailed to its mail, leaves an rsvp token unlinked, and drops the tokenHash index', async () => {
    for (const m of before) await conn.exec(m.sql);
    const now = '2031-03-01T10:00:00.000Z';
    await conn.exec(`INSERT INTO "User" (id, email, "createdAt") VALUES (1, 'owner@example.org', '${now}')`);
    await conn.exec(`INSERT INTO "Event" (id, title, parties, slots, "ownerId", "createdAt", "updatedAt") VALUES (1, 'Planning', '[]', '[]', 1, '${now}', '${now}')`);
    const token = (hash: string, scope: string) => conn.exec(`INSERT INTO "EventToken" (hash, "eventId", email, "expiresAt", scope, "createdAt")
      VALUES ('${hash}', 1, 'bob@example.org', '2031-04-01T10:00:00.000Z', '${scope}', '${now}')`);
    const mail = (messageId: string, tokenHash: string | null, payload: string) => conn.exec(`INSERT INTO "OutboxMessage" ("eventId", kind, recipient, "messageId", "tokenHash", payload, "createdAt", "nextAttemptAt")
      VALUES (1, 'proposal', 'bob@example.org', '${messageId}', ${tokenHash ? `'${tokenHash}'` : 'NULL'}, '${payload}', '${now}', '${now}')`);
    await token('a'.repeat(64), 'full');
    await token('b'.repeat(64), 'full');
    await token('c'.repeat(64), 'rsvp');
    await mail('<first@calndro.test>', 'a'.repeat(64), '{"n":1}');
    await mail('<second@calndro.test>', 'b'.repeat(64), '{"n":2}');
    await mail('<plain@calndro.test>', null, '{"n":3}');

    await conn.exec(link.sql);

    const linked = await conn.rows(`SELECT hash, "messageId" FROM "EventToken" ORDER BY hash`);
    expect(linked.map((r) => [String(r.hash)[0], r.messageId])).toEqual([['a', '<first@calndro.test>'], ['b', '<second@calndro.test>'], ['c', null]]);
    // The query a reply runs (sqlite-fast-path.ts MAIL_FOR_TOKEN) finds each mail's own payload.
    const sent = await conn.rows(`SELECT o.payload FROM "EventToken" t JOIN "OutboxMessage" o ON o."messageId" = t."messageId" WHERE t.hash = ?`, 'b'.repeat(64));
    expect(sent).toEqual([{ payload: '{"n":2}' }]);
    const indexes = provider === 'sqlite'
      ? await conn.rows(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'OutboxMessage'`)
      : await conn.rows(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'OutboxMessage'`);
    expect(indexes.map((r) => r.name)).not.toContain('OutboxMessage_tokenHash_idx');
    expect(indexes.map((r) => r.name)).toContain('OutboxMessage_messageId_key');
  });
});
