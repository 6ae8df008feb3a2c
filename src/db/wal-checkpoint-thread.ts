// Checkpoint thread (wal-checkpoint.ts): moves committed WAL frames into the database file, and
// syncs it, on a connection of its own. A PASSIVE checkpoint never waits for readers or writers.
import { workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { serveJobs } from '../threads/thread-pool.js';

export interface CheckpointResult {
  /** SQLite's answer: busy (1 when another checkpoint ran), frames in the WAL, frames now in the database file. */
  busy: number;
  log: number;
  checkpointed: number;
}

const db = new BetterSqlite3((workerData as { file: string }).file);
// Stated, not left to the build's default: at NORMAL or FULL a checkpoint syncs the WAL before
// copying and the database file after, which wal-sync.ts relies on (OFF would skip both).
db.pragma('synchronous = NORMAL');

serveJobs((): CheckpointResult => (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[])[0]!, () => db.close());
