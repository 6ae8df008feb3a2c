// The thread pool's job timeout (thread-pool.ts), on real threads: a thread that holds jobs and
// answers none of them for the timeout is terminated and replaced; a job alone on it fails with
// JobTimeoutError, its neighbours are run again and answered; a thread that keeps answering is
// never stopped, however long its queue; close() does not wait for a stuck job.
import { afterEach, describe, expect, it } from 'vitest';
import { createThreadPool, JobTimeoutError, type ThreadPool } from '../../src/threads/thread-pool.js';

type Job = { ms: number };
let pool: ThreadPool<Job, number> | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

const start = (threads: number, jobTimeoutMs?: number) => (pool = createThreadPool<Job, number>({
  name: 'spin', entry: new URL('../fixtures/threads/spin-thread.js', import.meta.url), threads, workerData: null,
  ...(jobTimeoutMs !== undefined && { jobTimeoutMs }),
}));

describe('a job that never ends', () => {
  it('alone on its thread: fails with JobTimeoutError after the timeout; the replacement thread runs the next job', async () => {
    const p = start(1, 1_000);
    expect(await p.run({ ms: 0 })).toBe(0);
    const first = p.workers()[0];
    const t = performance.now();
    const stuck = p.run({ ms: -1 });
    await expect(stuck).rejects.toBeInstanceOf(JobTimeoutError);
    await expect(stuck).rejects.toThrow('spin job not finished within 1 s: its thread was stopped');
    expect(performance.now() - t).toBeGreaterThan(900);
    expect(performance.now() - t).toBeLessThan(8_000);
    expect(await p.run({ ms: 5 })).toBe(5);
    expect(p.workers()[0]).not.toBe(first);
  }, 20_000);

  it('with neighbours on its thread: they are run again and answered, it fails', async () => {
    const p = start(1, 1_000);
    expect(await p.run({ ms: 0 })).toBe(0);
    const results = await Promise.allSettled([p.run({ ms: 10 }), p.run({ ms: -1 }), p.run({ ms: 20 }), p.run({ ms: 30 })]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual([10, 'JobTimeoutError', 20, 30]);
  }, 20_000);

  it('close() stops a stuck thread within its grace period and rejects the job', async () => {
    const p = start(1);
    expect(await p.run({ ms: 0 })).toBe(0);
    const stuck = p.run({ ms: -1 });
    stuck.catch(() => {});
    const t = performance.now();
    await p.close();
    expect(performance.now() - t).toBeLessThan(4_000);
    await expect(stuck).rejects.toThrow();
    pool = null;
  }, 20_000);
});

describe('a thread that keeps answering', () => {
  it('is not stopped while its queue takes longer than the timeout: the timeout counts from the last answer', async () => {
    const p = start(1, 1_000);
    const first = (await p.run({ ms: 0 }), p.workers()[0]);
    // Eight jobs of 300 ms handed over at once: the last is answered ~2.4 s after it was sent.
    const results = await Promise.all(Array.from({ length: 8 }, () => p.run({ ms: 300 })));
    expect(results).toEqual(Array(8).fill(300));
    expect(p.workers()[0]).toBe(first);
  }, 20_000);
});
