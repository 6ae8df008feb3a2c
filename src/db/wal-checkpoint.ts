// WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside the commit that
// crosses its threshold: it copies the WAL's pages into the database file and syncs it, on the
// thread that committed, which here is the one that also serves SMTP and HTTP (bench:inbound:
// 10% of the rate). So the app's connections get a far threshold (CHECKPOINT_FALLBACK_PAGES,
// used only if this thread falls behind or dies) and a thread of its own checkpoints shortly
// after writes (every SQLite write passes the serial queue, which tells this module). Started by
// the first one: a process that writes nothing runs no thread.
import { createThreadPool, type ThreadPool } from '../threads/thread-pool.js';
import type { CheckpointResult } from './wal-checkpoint-thread.js';

/** The app connections' own threshold, in pages (SQLite's default is 1,000): the fallback. */
export const CHECKPOINT_FALLBACK_PAGES = 10_000;
/**
 * Commits within this window share one checkpoint. Each completed checkpoint lets the next
 * commit restart the WAL from its start, which syncs the WAL's header on the committing thread
 * (~0.6 ms here), so not much more often than this; at ~50 MB/s of WAL (bench:inbound) the WAL
 * stays far below the fallback threshold.
 */
const CHECKPOINT_AFTER_MS = 250;

export interface CheckpointLog { warn(o: object, m: string): void; error(o: object, m: string): void }

export interface WalCheckpointer {
  /** Something may have been committed: a checkpoint follows within CHECKPOINT_AFTER_MS. */
  committed(): void;
  close(): Promise<void>;
}

/** `log`: read when needed (the app's logger exists only after the stores). */
export function createWalCheckpointer(databaseFile: string, log: () => CheckpointLog | undefined = () => undefined): WalCheckpointer {
  let pool: ThreadPool<null, CheckpointResult> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let dirty = false;
  let closed = false;

  function schedule(): void {
    if (timer || running || closed) return;
    timer = setTimeout(run, CHECKPOINT_AFTER_MS);
    timer.unref();
  }

  function run(): void {
    timer = null;
    dirty = false;
    running = true;
    pool ??= createThreadPool<null, CheckpointResult>({
      name: 'checkpoint', entry: new URL('./wal-checkpoint-thread.js', import.meta.url), threads: 1,
      workerData: { file: databaseFile },
      log: { error: (o, m) => log()?.error(o, m) },
    });
    pool.run(null).catch((err: unknown) => {
      // The fallback threshold keeps the WAL bounded until the thread is back (thread-pool.ts restarts it).
      log()?.warn({ err }, 'WAL checkpoint failed; the connections checkpoint themselves past the fallback threshold');
    }).finally(() => {
      running = false;
      if (dirty) schedule();
    });
  }

  return {
    committed() {
      dirty = true;
      schedule();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await pool?.close();
    },
  };
}
