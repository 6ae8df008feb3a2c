// A few delivery threads (see delivery-thread.ts), each with its share of the SMTP
// connections. A row goes to the thread with the fewest in flight. A thread that dies fails
// its rows as temporary errors (the outbox retries them) and is replaced.
import { Worker } from 'node:worker_threads';
import type { OutboxRow } from './ports.js';
import type { ComposeConfig } from './compose.js';
import type { Deliverer, DeliveryResult } from './deliver.js';
import type { DeliveryJob, DeliveryReply, DeliveryThreadData } from './delivery-thread.js';
import type { OutboundTls } from './outbound-tls.js';

export interface DeliveryPoolOptions {
  threads: number;
  secretKey: string;
  smtpUrl: string;
  smtpTls: OutboundTls;
  /** SMTP connections in all; split across the threads. */
  connections: number;
  cfg: Omit<ComposeConfig, 'openSealed'>;
  log?: { error(obj: object, msg: string): void };
}

interface Lane {
  worker: Worker;
  alive: boolean;
  pending: Map<number, (r: DeliveryResult) => void>;
}

/** A thread that dies soon after it started is restarted after a growing pause, not in a loop. */
const RESTART_PAUSE_MS = [0, 1_000, 5_000, 30_000];
const STABLE_AFTER_MS = 10_000;

export function createDeliveryPool(opts: DeliveryPoolOptions): Deliverer {
  // Under tsx (development, tests) the thread starts from the .mjs shim that loads the source.
  const isTs = import.meta.url.endsWith('.ts');
  const file = new URL(isTs ? './delivery-thread-dev.mjs' : './delivery-thread.js', import.meta.url);
  const data: DeliveryThreadData = {
    secretKey: opts.secretKey,
    smtpUrl: opts.smtpUrl,
    smtpTls: opts.smtpTls,
    connections: Math.max(1, Math.ceil(opts.connections / opts.threads)),
    cfg: opts.cfg,
  };
  let seq = 0;
  let closing = false;

  function spawn(slot: number, quickDeaths = 0): Lane {
    // Elapsed time, not time of day: the monotonic clock.
    const startedAt = performance.now();
    // A roomier young generation than the main thread's: rendering makes short-lived garbage.
    const worker = new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    const lane: Lane = { worker, alive: true, pending: new Map() };
    worker.on('message', ({ id, result }: DeliveryReply) => {
      const done = lane.pending.get(id);
      lane.pending.delete(id);
      done?.(result);
    });
    const fail = (error: string) => {
      for (const done of lane.pending.values()) done({ ok: false, error, permanent: false });
      lane.pending.clear();
    };
    worker.on('error', (err) => {
      opts.log?.error({ err }, 'outbox: delivery thread failed');
      fail(`delivery thread failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      lane.alive = false;
      fail(`delivery thread exited (${code})`);
      if (closing) return;
      const deaths = performance.now() - startedAt < STABLE_AFTER_MS ? quickDeaths + 1 : 0;
      const pause = RESTART_PAUSE_MS[Math.min(deaths, RESTART_PAUSE_MS.length - 1)]!;
      setTimeout(() => {
        if (!closing) lanes[slot] = spawn(slot, deaths);
      }, pause).unref();
    });
    return lane;
  }

  const lanes: Lane[] = Array.from({ length: opts.threads }, (_, slot) => spawn(slot));

  return {
    deliver(row: OutboxRow) {
      const live = lanes.filter((l) => l.alive);
      // Rows come back as temporary failures: the outbox retries them with its backoff.
      if (live.length === 0) return Promise.resolve({ ok: false, error: 'no delivery thread running', permanent: false });
      const lane = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = ++seq;
      return new Promise<DeliveryResult>((resolve) => {
        lane.pending.set(id, resolve);
        try {
          lane.worker.postMessage({ id, row } satisfies DeliveryJob);
        } catch (err) {
          lane.pending.delete(id);
          resolve({ ok: false, error: `could not hand the row to a delivery thread: ${(err as Error).message}`, permanent: false });
        }
      });
    },
    async close() {
      closing = true;
      await Promise.all(lanes.filter((l) => l.alive).map(async ({ worker }) => {
        const exited = new Promise((r) => worker.once('exit', r));
        worker.postMessage({ id: 0, close: true } satisfies DeliveryJob);
        // A thread still waiting on an SMTP reply gets a moment, then is stopped.
        const timer = setTimeout(() => void worker.terminate(), 2000);
        await exited;
        clearTimeout(timer);
      }));
    },
  };
}
