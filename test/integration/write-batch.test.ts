// The write batch on a real SQLite file: shared commits, savepoints per write.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSerial, type Serial } from '../../src/db/serial.js';
import { createWriteBatch, transactionRunner, type WriteBatch } from '../../src/db/write-batch.js';

let db: BetterSqlite3.Database;
let batch: WriteBatch;
let commits: number;
let serial: Serial;

beforeEach(() => {
  db = new BetterSqlite3(join(mkdtempSync(join(tmpdir(), 'calndro-batch-')), 'b.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const run = transactionRunner(db);
  commits = 0;
  serial = createSerial(true);
  batch = createWriteBatch((writes) => {
    commits++;
    return run(writes);
  }, serial);
});
afterEach(() => db.close());

const insert = (v: string) => () => Number(db.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid);
const values = () => (db.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map((r) => r.v);

describe('write batch', () => {
  it('puts writes issued in one turn into one transaction, and settles each with its own result', async () => {
    const ids = await Promise.all(['a', 'b', 'c'].map((v) => batch(insert(v))));
    expect(ids).toEqual([1, 2, 3]);
    expect(commits).toBe(1);
    await batch(insert('d'));
    expect(commits).toBe(2);
    expect(values()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('writes that arrive while another call holds the queue share the commit that follows it', async () => {
    let release!: () => void;
    const held = serial(() => new Promise<void>((r) => (release = r)));
    const writes: Promise<number>[] = [];
    for (const v of ['a', 'b', 'c']) {
      writes.push(batch(insert(v)));
      await new Promise((r) => setImmediate(r)); // each in a turn of its own
    }
    release();
    await held;
    expect(await Promise.all(writes)).toEqual([1, 2, 3]);
    expect(commits).toBe(1);
  });

  it('a failing write rolls back only itself, including what it wrote before it failed', async () => {
    const results = await Promise.allSettled([
      batch(insert('a')),
      batch(() => {
        insert('half-done')();
        return insert('a')(); // UNIQUE violation
      }),
      batch(insert('b')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(values()).toEqual(['a', 'b']);
    expect(commits).toBe(1);
  });

  it('rejects every write of the batch when the commit itself fails, and stores none', async () => {
    const failing = createWriteBatch(() => {
      throw new Error('disk I/O error');
    }, createSerial(true));
    const results = await Promise.allSettled([failing(insert('x')), failing(insert('y'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(values()).toEqual([]);
  });
});
