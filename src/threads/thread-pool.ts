// Jobs on a few worker threads, both ends: the outbox's delivery threads, the inbound parse threads
// and the WAL checkpoint thread. createThreadPool (the calling side) sends a job to the live thread
// with the fewest in flight and replaces a thread that dies, after a growing pause when it keeps
// dying young. Jobs in flight on a thread that died run again, each alone on a thread: the one that
// kills that thread too is the culprit and fails, so one poison job does not take its neighbours
// down. With a job timeout, a thread that holds jobs and answers none of them for that long is
// stuck (a job looping or blocked): it is terminated and handled as a thread that died, and a
// job that was alone on it fails with a JobTimeoutError.
// serveJobs (the thread's side) answers each job with its result or its error's message.
import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';

type ToThread<J> = { id: number; job: J } | { close: true };
type FromThread<R> = { id: number; result: R } | { id: number; error: string } | { ready: true };

export interface ThreadPoolOptions {
  /** Names the threads in errors and logs: "delivery" → "delivery thread exited (1)". */
  name: string;
  /** The thread's module as built: new URL('./x-thread.js', import.meta.url). */
  entry: URL;
  threads: number;
  workerData: unknown;
  resourceLimits?: ResourceLimits;
  log?: { error(obj: object, msg: string): void };
  /** How long a thread holding jobs may go without answering one before it is terminated (none: no limit). */
  jobTimeoutMs?: number;
}

/** The job was alone on its thread and not answered within the pool's job timeout; the thread was terminated. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

export interface ThreadPool<J, R> {
  /** The thread's answer; rejects when no thread runs, the job threw, or it died with its thread. */
  run(job: J): Promise<R>;
  /** The live threads (diagnostics and tests). */
  workers(): Worker[];
  /** Asks each thread to finish, stops it after a grace period; jobs not answered are rejected. */
  close(): Promise<void>;
}

interface Pending<J, R> { job: J; resolve(r: R): void; reject(e: Error): void; alone: boolean }
interface Lane<J, R> {
  worker: Worker;
  alive: boolean;
  inFlight: Map<number, Pending<J, R>>;
  /** Runs out when the thread holds jobs and has answered none for the job timeout. */
  watchdog: NodeJS.Timeout | null;
  /** The thread has loaded its modules and serves jobs: its start does not count against the timeout. */
  ready: boolean;
  onStuck(): void;
}

/** A thread that dies soon after it started is restarted after a growing pause, not in a loop. */
const RESTART_PAUSE_MS = [0, 1_000, 5_000, 30_000];
const STABLE_AFTER_MS = 10_000;
const CLOSE_GRACE_MS = 2_000;

export function createThreadPool<J, R>(opts: ThreadPoolOptions): ThreadPool<J, R> {
  // Under tsx (development, tests) every thread starts from the .mjs shim that loads its source.
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fromSource ? new URL('./thread-dev.mjs', import.meta.url) : opts.entry;
  const argv = fromSource ? [opts.entry.href.replace(/\.js$/, '.ts')] : [];
  /** Waiting for a thread: jobs to run alone first (they are older), then new ones. */
  const queued: Pending<J, R>[] = [];
  let seq = 0;
  let closing = false;

  function spawn(slot: number, quickDeaths = 0): Lane<J, R> {
    // Elapsed time, not time of day: the monotonic clock.
    const startedAt = performance.now();
    const worker = new Worker(file, { argv, workerData: opts.workerData, ...(opts.resourceLimits && { resourceLimits: opts.resourceLimits }) });
    let failure: string | null = null;
    let timedOut = false;
    const lane: Lane<J, R> = {
      worker, alive: true, inFlight: new Map(), watchdog: null, ready: false,
      onStuck() {
        timedOut = true;
        failure = `${opts.name} job not finished within ${opts.jobTimeoutMs! / 1000} s: its thread was stopped`;
        opts.log?.error({ jobs: lane.inFlight.size }, `${opts.name} thread stuck, terminating it`);
        void worker.terminate();
      },
    };
    worker.on('message', (reply: FromThread<R>) => {
      if ('ready' in reply) {
        lane.ready = true;
        watch(lane);
        return;
      }
      const pending = lane.inFlight.get(reply.id);
      lane.inFlight.delete(reply.id);
      watch(lane);
      if ('error' in reply) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.result);
      pump();
    });
    worker.on('error', (err) => {
      opts.log?.error({ err }, `${opts.name} thread failed`);
      failure = `${opts.name} thread failed: ${err.message}`;
    });
    worker.on('exit', (code) => {
      lane.alive = false;
      if (lane.watchdog) clearTimeout(lane.watchdog);
      const reason = timedOut && !closing ? new JobTimeoutError(failure!) : new Error(failure ?? `${opts.name} thread exited (${code})`);
      const suspects = [...lane.inFlight.values()];
      lane.inFlight.clear();
      const culprit = suspects.length === 1;
      for (const p of suspects.filter((s) => culprit || s.alone || closing)) p.reject(reason);
      queued.unshift(...suspects.filter((s) => !(culprit || s.alone || closing)).map((s) => ({ ...s, alone: true })));
      if (closing) return;
      // A thread stopped for a stuck job did not fail to start: no pause.
      const deaths = !timedOut && performance.now() - startedAt < STABLE_AFTER_MS ? quickDeaths + 1 : 0;
      const pause = RESTART_PAUSE_MS[Math.min(deaths, RESTART_PAUSE_MS.length - 1)]!;
      const restart = () => {
        if (closing) return;
        lanes[slot] = spawn(slot, deaths);
        pump();
      };
      // Without a pause at once: a job sent right after the one that failed finds a thread.
      if (pause === 0) restart();
      else setTimeout(restart, pause).unref();
      pump();
    });
    return lane;
  }

  /** (Re)starts the lane's watchdog after an answer or a first job; stops it when the lane holds none. */
  function watch(lane: Lane<J, R>): void {
    if (opts.jobTimeoutMs === undefined || !lane.ready) return;
    if (!lane.inFlight.size || !lane.alive) {
      if (lane.watchdog) clearTimeout(lane.watchdog);
      lane.watchdog = null;
    } else if (lane.watchdog) lane.watchdog.refresh();
    else lane.watchdog = setTimeout(() => lane.onStuck(), opts.jobTimeoutMs).unref();
  }

  function send(lane: Lane<J, R>, pending: Pending<J, R>): void {
    const id = ++seq;
    lane.inFlight.set(id, pending);
    // Counted from the thread's last answer: jobs queued behind a slow one do not run out early.
    if (lane.inFlight.size === 1) watch(lane);
    try {
      lane.worker.postMessage({ id, job: pending.job } satisfies ToThread<J>);
    } catch (err) {
      lane.inFlight.delete(id);
      watch(lane);
      pending.reject(new Error(`could not hand the job to a ${opts.name} thread: ${(err as Error).message}`));
    }
  }

  /** A job to run alone waits for an idle thread; no thread running one alone takes others. */
  function pump(): void {
    while (queued.length) {
      const next = queued[0]!;
      const open = lanes.filter((l) => l.alive && (next.alone ? l.inFlight.size === 0 : ![...l.inFlight.values()].some((p) => p.alone)));
      if (!open.length) return;
      queued.shift();
      send(open.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a)), next);
    }
  }

  const lanes: Lane<J, R>[] = Array.from({ length: opts.threads }, (_, slot) => spawn(slot));

  return {
    run(job) {
      if (closing || !lanes.some((l) => l.alive)) return Promise.reject(new Error(`no ${opts.name} thread running`));
      return new Promise<R>((resolve, reject) => {
        queued.push({ job, resolve, reject, alone: false });
        pump();
      });
    },
    workers: () => lanes.filter((l) => l.alive).map((l) => l.worker),
    async close() {
      closing = true;
      for (const p of queued.splice(0)) p.reject(new Error(`${opts.name} threads closed`));
      await Promise.all(lanes.filter((l) => l.alive).map(async ({ worker }) => {
        const exited = new Promise((r) => worker.once('exit', r));
        worker.postMessage({ close: true } satisfies ToThread<J>);
        // A thread still busy (an SMTP reply awaited, a large message) gets a moment, then is stopped.
        const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }));
    },
  };
}

/** The thread's side: answers each job from the pool with `handle`'s result; `onClose` on close. */
export function serveJobs<J, R>(handle: (job: J) => R | Promise<R>, onClose?: () => void): void {
  const port = parentPort!;
  // Jobs sent meanwhile wait in the port; the pool's job timeout counts from here.
  port.postMessage({ ready: true } satisfies FromThread<R>);
  port.on('message', (message: ToThread<J>) => {
    if ('close' in message) {
      onClose?.();
      port.close();
      return;
    }
    void Promise.resolve().then(() => handle(message.job)).then(
      (result) => port.postMessage({ id: message.id, result } satisfies FromThread<R>),
      (err: unknown) => port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) } satisfies FromThread<R>),
    );
  });
}
