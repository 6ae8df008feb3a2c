// WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside the commit that
// crosses its threshold: it copies the WAL's pages into the database file and syncs it, on the
// thread that committed, which here is the one that also serves SMTP and HTTP (bench:inbound:
// 10% of the rate). So the app's connections get a far threshold (CHECKPOINT_FALLBACK_PAGES,
// used only if this thread falls behind or dies) and a thread of its own checkpoints shortly
// after commits. Started by the first commit: a process that writes nothing runs no thread.
import { createThreadPool, type ThreadPool } from '../threads/thread-pool.js';
import type { CheckpointResult } from './wal-checkpoint-thread.js';

/** The app connections' own threshold, in pages (SQLite's default is 1,000): the fallback. */
export const CHECKPOINT_FALLBACK_PAGES = 10_000;
/** Commits within this window share one checkpoint. */
const CHECKPOINT_AFTER_MS = 100;

export interface WalCheckpointer {
  /** Something was committed: a checkpoint follows within CHECKPOINT_AFTER_MS. */
  committed(): void;
  /** Checkpoints run so far (diagnostics and tests). */
  runs(): number;
  close(): Promise<void>;
}

export function createWalCheckpointer(databaseFile: string, log?: { warn(o: object, m: string): void; error(o: object, m: string): void }): WalCheckpointer {
  let pool: ThreadPool<null, CheckpointResult> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let dirty = false;
  let closed = false;
  let runs = 0;

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
      workerData: { file: databaseFile }, ...(log && { log }),
    });
    pool.run(null).then(() => {
      runs++;
    }, (err: unknown) => {
      // The fallback threshold keeps the WAL bounded until the thread is back (thread-pool.ts restarts it).
      log?.warn({ err }, 'WAL checkpoint failed; the connection checkpoints itself past the fallback threshold');
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
    runs: () => runs,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await pool?.close();
    },
  };
}
