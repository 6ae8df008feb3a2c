// Durability for the SQLite inbound door without blocking the event loop. Commits run with
// synchronous=NORMAL (no fsync: in WAL mode a commit is only appended to the -wal file); then
// an fdatasync of the -wal file on libuv's thread pool makes every commit written before it
// durable (the same barrier synchronous=FULL puts into each commit, but off the main thread,
// where it was the largest item of bench:inbound's profile). Frames that a checkpoint has
// already moved into the database file were synced by that checkpoint (NORMAL syncs the WAL
// before and the database after a checkpoint). Callers that arrive while a sync runs share
// the next one: group commit.
import { open } from 'node:fs/promises';

export type WalSync = () => Promise<void>;

export function createWalSync(databaseFile: string): WalSync {
  const walFile = `${databaseFile}-wal`;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  async function syncOnce(): Promise<void> {
    // Opened per sync: the -wal file is recreated when the last connection closes. Without one
    // (the database could not switch to WAL, e.g. on some network file systems) the commits are
    // in the database file itself.
    const handle = await open(walFile, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return open(databaseFile, 'r');
      throw err;
    });
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  function start(): Promise<void> {
    running = syncOnce().finally(() => {
      running = null;
    });
    return running;
  }

  return () => {
    if (!running) return start();
    // A sync already in flight may have started before this caller's commit: wait for the next.
    next ??= running.catch(() => undefined).then(() => {
      next = null;
      return start();
    });
    return next;
  };
}
