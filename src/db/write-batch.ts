// SQLite write coalescing: writes issued before the batch's turn in the serial queue comes share
// one transaction, each inside its own savepoint (one failing write rolls back only itself).
// A commit writes every page it touched to the WAL, and concurrent writes touch mostly the
// same pages (the tail of the outbox and log tables and their indexes), so one commit for
// many writes is far cheaper than one each (bench:inbound profile: the per-reply commit was the
// largest item). A caller's promise settles after the shared commit.
import type BetterSqlite3 from 'better-sqlite3';
import type { Serial } from './serial.js';

export type WriteBatch = <T>(write: () => T) => Promise<T>;

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What the batch needs from the connection: run all writes in one transaction, each guarded. */
export type RunInTransaction = (writes: (() => unknown)[]) => Settled[];

/** For a better-sqlite3 connection: nested transactions are savepoints, so a throwing write undoes only itself. */
export function transactionRunner(db: BetterSqlite3.Database): RunInTransaction {
  const guarded = db.transaction((write: () => unknown) => write());
  return db.transaction((writes: (() => unknown)[]) => writes.map((write): Settled => {
    try {
      return { ok: true, value: guarded(write) };
    } catch (error) {
      return { ok: false, error };
    }
  }));
}

interface Pending { write: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }

export function createWriteBatch(runInTransaction: RunInTransaction, serial: Serial): WriteBatch {
  let pending: Pending[] = [];
  let flushQueued = false;

  async function flush(): Promise<void> {
    let items: Pending[] = [];
    let results: Settled[];
    try {
      // The batch is cut when its turn in the serial queue comes, not when it was queued: writes
      // that arrive while another call holds the queue join this commit (group commit).
      results = await serial(async () => {
        flushQueued = false;
        items = pending;
        pending = [];
        return runInTransaction(items.map((i) => i.write));
      });
    } catch (err) {
      // The shared commit itself failed (disk full, I/O error): nothing of the batch is stored.
      for (const item of items) item.reject(err);
      return;
    }
    results.forEach((r, i) => (r.ok ? items[i]!.resolve(r.value) : items[i]!.reject(r.error)));
  }

  return <T>(write: () => T) => new Promise<T>((resolve, reject) => {
    pending.push({ write, resolve: resolve as (v: unknown) => void, reject });
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(() => void flush());
    }
  });
}
