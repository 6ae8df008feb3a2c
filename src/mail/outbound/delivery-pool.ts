// A few delivery threads (see delivery-thread.ts), each with its share of the SMTP
// connections. A row goes to the thread with the fewest in flight. A thread that dies fails
// its rows as temporary errors (the outbox retries them) and is replaced.
import { Worker } from 'node:worker_threads';
import type { OutboxRow } from '../../db/outbox-store.js';
import type { ComposeConfig } from './compose.js';
import type { Deliverer, DeliveryResult } from './deliver.js';
import type { DeliveryJob, DeliveryReply, DeliveryThreadData } from './delivery-thread.js';

export interface DeliveryPoolOptions {
  threads: number;
  secretKey: string;
  smtpUrl: string;
  /** SMTP connections in all; split across the threads. */
  connections: number;
  cfg: Omit<ComposeConfig, 'openSealed'>;
  log?: { error(obj: object, msg: string): void };
}

interface Lane {
  worker: Worker;
  pending: Map<number, (r: DeliveryResult) => void>;
}

export function createDeliveryPool(opts: DeliveryPoolOptions): Deliverer {
  // Under tsx (development, tests) the thread starts from the .mjs shim that loads the source.
  const isTs = import.meta.url.endsWith('.ts');
  const file = new URL(isTs ? './delivery-thread-dev.mjs' : './delivery-thread.js', import.meta.url);
  const data: DeliveryThreadData = {
    secretKey: opts.secretKey,
    smtpUrl: opts.smtpUrl,
    connections: Math.max(1, Math.ceil(opts.connections / opts.threads)),
    cfg: opts.cfg,
  };
  let seq = 0;
  let closing = false;

  function spawn(): Lane {
    // A roomier young generation than the main thread's: rendering makes short-lived garbage.
    const worker = new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 24 } });
    const lane: Lane = { worker, pending: new Map() };
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
      fail(`delivery thread exited (${code})`);
      const i = lanes.indexOf(lane);
      if (!closing && i >= 0) lanes[i] = spawn();
    });
    return lane;
  }

  const lanes: Lane[] = Array.from({ length: opts.threads }, spawn);

  return {
    deliver(row: OutboxRow) {
      const lane = lanes.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = ++seq;
      return new Promise<DeliveryResult>((resolve) => {
        lane.pending.set(id, resolve);
        lane.worker.postMessage({ id, row } satisfies DeliveryJob);
      });
    },
    async close() {
      closing = true;
      await Promise.all(lanes.map(async ({ worker }) => {
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
