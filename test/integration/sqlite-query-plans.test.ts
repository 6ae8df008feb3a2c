// SPEC §13 on SQLite: every page query walks an index (or the primary key) from the cursor and
// sorts nothing, so its cost does not grow with the tables. EXPLAIN QUERY PLAN on a migrated
// database: the app runs no ANALYZE, so SQLite plans by its built-in estimates, the same plan
// for an empty file as for 100,000 events and 1,000,000 log entries (README, "Pages").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { migrate } from '../../src/db/migrate.js';
import { sqlitePath } from '../../src/db/client.js';
import { ALL_EVENTS_PAGE, LOG_LATEST, LOG_PAGE, VISIBLE_EVENTS_PAGE } from '../../src/db/sqlite-page-sql.js';
import { COUNT_MAIL_SINCE, MAIL_FOR_TOKEN } from '../../src/db/sqlite-fast-path.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
let db: BetterSqlite3.Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrate(database.url);
  db = new BetterSqlite3(sqlitePath(database.url), { readonly: true });
});
afterAll(async () => {
  db?.close();
  await database?.drop();
});

const plan = (sql: string, params: object) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);

/** Tables are only searched through an index; the only scan is of the page's own ids; nothing is sorted. */
function expectKeysetPlan(lines: string[]) {
  for (const line of lines) {
    expect(line).not.toMatch(/TEMP B-TREE/);
    if (line.startsWith('SCAN')) expect(line).toBe('SCAN page');
    if (line.startsWith('SEARCH')) expect(line).toMatch(/USING (COVERING INDEX \w+|INDEX \w+|INTEGER PRIMARY KEY) \(/);
  }
}

describe('page query plans', () => {
  it('staff list: the primary key from the cursor', () => {
    const lines = plan(ALL_EVENTS_PAGE, { after: 50, limit: 101 });
    expect(lines).toContain('SEARCH e USING INTEGER PRIMARY KEY (rowid>?)');
    expectKeysetPlan(lines);
  });

  it('a user\'s list: two index scans merged in id order', () => {
    const lines = plan(VISIBLE_EVENTS_PAGE, { user: 7, after: 50, limit: 101 });
    expect(lines).toEqual(expect.arrayContaining([
      'MERGE (UNION)',
      'SEARCH Event USING COVERING INDEX Event_ownerId_id_idx (ownerId=? AND id>?)',
      'SEARCH EventParty USING COVERING INDEX EventParty_userId_eventId_idx (userId=? AND eventId>?)',
      'SEARCH e USING INTEGER PRIMARY KEY (rowid=?)',
    ]));
    expectKeysetPlan(lines);
  });

  it('a log page, forwards and backwards: LogEntry(eventId, id)', () => {
    expect(plan(LOG_PAGE, { event: 1, after: 50, limit: 101 })).toEqual(['SEARCH LogEntry USING INDEX LogEntry_eventId_id_idx (eventId=? AND id>?)']);
    expect(plan(LOG_LATEST, { event: 1, before: 50, limit: 51 })).toEqual(['SEARCH LogEntry USING INDEX LogEntry_eventId_id_idx (eventId=? AND id<?)']);
  });
});

describe('mail cap counts', () => {
  it("read only the recipient's mail of that kind inside the window: OutboxMessage(recipient, kind, createdAt)", () => {
    const lines = (db.prepare(`EXPLAIN QUERY PLAN ${COUNT_MAIL_SINCE}`).all('a@example.org', 'help', '2031-01-01') as { detail: string }[]).map((r) => r.detail);
    expect(lines).toEqual(['SEARCH OutboxMessage USING COVERING INDEX OutboxMessage_recipient_kind_createdAt_idx (recipient=? AND kind=? AND createdAt>?)']);
  });
  it('the mail a reply answers: the token by its hash, then the mail by its Message-ID', () => {
    const lines = (db.prepare(`EXPLAIN QUERY PLAN ${MAIL_FOR_TOKEN}`).all('h') as { detail: string }[]).map((r) => r.detail);
    expect(lines).toEqual(['SEARCH t USING INDEX EventToken_hash_key (hash=?)', 'SEARCH o USING INDEX OutboxMessage_messageId_key (messageId=?)']);
  });
});

/**
 * A retention statement as src/db/retention-store.ts sends it (Prisma binds each `${…}` as a
 * `?` on SQLite): read from that file, so the plan asserted is the one of the shipped text.
 */
function retentionStatement(name: string): string {
  const source = readFileSync(new URL('../../src/db/retention-store.ts', import.meta.url), 'utf8');
  const text = new RegExp(`${name}: \\([^)]*\\) => serial\\(\\(\\) => db\\.\\$executeRaw\`([^\`]*)\``).exec(source)?.[1];
  if (!text) throw new Error(`no ${name} statement in retention-store.ts`);
  return text.replace(/\$\{[^}]*\}/g, '?');
}

describe('retention sweeps', () => {
  it('drafts: only drafts expired (and started) before the cutoffs, through Draft(expiresAt), each deleted by its primary key', () => {
    const sql = retentionStatement('purgeDrafts');
    expect(sql).toMatch(/^DELETE FROM "Draft"/);
    const lines = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('2031-01-01 00:00:00', '2031-01-01 00:00:00', 500) as { detail: string }[]).map((r) => r.detail);
    expect(lines).toEqual(expect.arrayContaining([
      'SEARCH Draft USING INDEX Draft_expiresAt_idx (expiresAt<?)',
      'SEARCH Draft USING INTEGER PRIMARY KEY (rowid=?)',
    ]));
    for (const line of lines) expect(line).not.toMatch(/^SCAN|TEMP B-TREE/);
  });
});
