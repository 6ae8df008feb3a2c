// A small pool of render-worker threads. Under tsx (development, tests) the worker starts from
// render-worker-dev.mjs, which loads the .ts source; the compiled build runs the .js file.
import { Worker } from 'node:worker_threads';
import type { Options } from 'nodemailer/lib/mailer';
import type { OutboxRow } from '../../db/outbox-store.js';
import type { ComposeConfig } from './compose.js';
import type { RenderResult } from './render-worker.js';

export interface RenderedMail { message: Options; scrubbed: string }

export interface RenderPool {
  render(row: OutboxRow): Promise<RenderedMail>;
  close(): Promise<void>;
}

export function createRenderPool(size: number, secretKey: string, cfg: Omit<ComposeConfig, 'openSealed'>): RenderPool {
  const isTs = import.meta.url.endsWith('.ts');
  const file = new URL(isTs ? './render-worker-dev.mjs' : './render-worker.js', import.meta.url);
  const pending = new Map<number, { resolve: (r: RenderedMail) => void; reject: (e: Error) => void }>();
  let seq = 0;
  const workers = Array.from({ length: size }, () => {
    // A roomier young generation than the main thread's: rendering makes short-lived garbage.
    const w = new Worker(file, { workerData: { secretKey, cfg }, resourceLimits: { maxYoungGenerationSizeMb: 24 } });
    w.on('message', (r: RenderResult) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.ok) p.resolve({ message: { envelope: { from: r.from, to: r.to }, raw: Buffer.from(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength) }, scrubbed: r.scrubbed });
      else p.reject(new Error(r.error));
    });
    w.on('error', (err) => {
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(err);
      }
    });
    w.unref();
    return w;
  });
  return {
    render(row) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, row });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
