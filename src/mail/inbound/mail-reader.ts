// Where inbound messages are read (read-inbound.ts): on parse threads (INBOUND_PARSE_THREADS), so
// the SMTP door, the API and the database keep the main thread, or with 0 on the main thread.
// A parse thread that answers none of its messages for INBOUND_PARSE_TIMEOUT is stopped and
// replaced (thread-pool.ts); the message that held it alone fails (isReadTimeout). On the
// main thread (0 threads) nothing can stop a read: no such limit there.
import type { Worker } from 'node:worker_threads';
import { createThreadPool, JobTimeoutError, type ThreadPool } from '../../threads/thread-pool.js';
import type { InboundReading, ParseJob } from './read-inbound.js';

/** The read held its parse thread alone past the timeout (the thread was stopped): the same message would again. */
export const isReadTimeout = (err: unknown): boolean => err instanceof JobTimeoutError;

export interface MailReader {
  /** The message's facts (and a mail to new@ read as a draft); rejects only when its parse thread died or timed out. */
  read(job: ParseJob): Promise<InboundReading>;
  /** The live parse threads; none when reading on the main thread, or before the first message. */
  workers(): Worker[];
  close(): Promise<void>;
}

/**
 * Structured cloning sends a view's whole ArrayBuffer: 8 KB for a small Buffer from Node's pool,
 * all of it for a slice of a larger read. Only the message's own bytes go over.
 */
const ownBytes = (raw: Uint8Array): Uint8Array => (raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw : new Uint8Array(raw));

/** timeoutMs: how long a parse thread may hold messages without answering one (none: no limit). */
export async function createMailReader(threads: number, log?: { error(obj: object, msg: string): void }, timeoutMs?: number): Promise<MailReader> {
  if (threads === 0) {
    // Loaded only here: with parse threads, mailparser and its dependencies stay off the main thread.
    const { readInbound } = await import('./read-inbound.js');
    return { read: readInbound, workers: () => [], close: async () => {} };
  }
  // Started by the first message: a server that reads no mail (no SMTP door, no mailbox, the API
  // only) never pays for the thread and its copy of mailparser (~20–25 MB of RSS).
  let pool: ThreadPool<ParseJob, InboundReading> | null = null;
  const started = () => (pool ??= createThreadPool<ParseJob, InboundReading>({
    name: 'parse', entry: new URL('./parse-thread.js', import.meta.url), threads, workerData: null,
    // Parsing makes short-lived garbage; a hostile message that needs more old space than this
    // ends its thread (its message fails), not the process.
    resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 },
    ...(log && { log }),
    ...(timeoutMs !== undefined && { jobTimeoutMs: timeoutMs }),
  }));
  let closed = false;
  return {
    read: (job) => (closed ? Promise.reject(new Error('no parse thread running')) : started().run({ ...job, raw: ownBytes(job.raw) })),
    workers: () => pool?.workers() ?? [],
    close: async () => {
      closed = true;
      await pool?.close();
    },
  };
}
