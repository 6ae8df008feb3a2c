import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWalSync } from '../../src/db/wal-sync.js';

const dir = () => mkdtempSync(join(tmpdir(), 'calndro-walsync-'));

describe('createWalSync', () => {
  it('syncs the -wal file, and the database file when there is none', async () => {
    const a = join(dir(), 'a.db');
    writeFileSync(a, 'db');
    writeFileSync(`${a}-wal`, 'wal');
    await expect(createWalSync(a)()).resolves.toBeUndefined();
    const b = join(dir(), 'b.db');
    writeFileSync(b, 'db');
    await expect(createWalSync(b)()).resolves.toBeUndefined();
  });

  it('fails when neither exists (the caller answers 451 and nothing is acknowledged)', async () => {
    await expect(createWalSync(join(dir(), 'missing.db'))()).rejects.toThrow(/ENOENT/);
  });

  it('lets callers that arrive during a sync share the next one', async () => {
    const a = join(dir(), 'a.db');
    writeFileSync(a, 'db');
    const sync = createWalSync(a);
    const first = sync();
    const later = [sync(), sync(), sync()];
    expect(later[0]).toBe(later[1]);
    expect(later[1]).toBe(later[2]);
    expect(later[0]).not.toBe(first);
    await Promise.all([first, ...later]);
    expect(sync()).not.toBe(later[0]);
  });
});
