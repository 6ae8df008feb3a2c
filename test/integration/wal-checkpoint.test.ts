// WAL checkpoints on their own thread (wal-checkpoint.ts), on a real SQLite file through the
// real stores: mail stored by the inbound door's write batch reaches the database file shortly
// after its commit, though no app connection is near its own (fallback) checkpoint threshold.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../src/db/index.js';
import { CHECKPOINT_FALLBACK_PAGES } from '../../src/db/wal-checkpoint.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/database.js';

const PAGE = 4096;

describe.skipIf(usingPostgres())('WAL checkpoints off the main thread', () => {
  let db: TestDatabase;
  let stores: Stores;
  const file = () => join(db.dataDir, 'calndro.db');
  const size = (f: string) => statSync(f).size;

  beforeAll(async () => {
    db = await createTestDatabase();
    stores = await openStores(db.url, { mailDomain: 'calndro.test' });
  });
  afterAll(async () => {
    await stores?.close();
    await db?.drop();
  });

  it('moves committed pages into the database file soon after the commit, below the fallback threshold', async () => {
    const before = size(file());
    // About 1,500 pages of mail: past SQLite's own default (1,000), far below the fallback.
    const body = 'x'.repeat(20_000);
    await Promise.all(Array.from({ length: 300 }, (_, i) => stores.inbound.accept({
      source: 'smtp', mailFrom: 'a@example.org', rcptTo: ['reply+x@calndro.test'],
      raw: Buffer.from(`Message-ID: <wal-${i}@example.org>\r\nSubject: ${i}\r\n\r\n${body}\r\n`),
    })));
    const wal = size(`${file()}-wal`);
    expect(wal).toBeGreaterThan(1_000 * PAGE);
    expect(wal).toBeLessThan(CHECKPOINT_FALLBACK_PAGES * PAGE);
    for (let i = 0; i < 100 && size(file()) < before + 300 * 20_000; i++) await new Promise((r) => setTimeout(r, 50));
    expect(size(file())).toBeGreaterThan(before + 300 * 20_000);
  });
});
