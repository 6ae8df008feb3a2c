// A few delivery threads (see delivery-thread.ts), each with its share of the SMTP
// connections, run by thread-pool.ts. A row whose thread died or none runs comes back as a
// temporary error: the outbox retries it with its backoff.
import type { OutboxRow } from './ports.js';
import type { ComposeConfig } from './compose.js';
import type { Deliverer, DeliveryResult } from './deliver.js';
import type { DeliveryThreadData } from './delivery-thread.js';
import type { OutboundTls } from './outbound-tls.js';
import { createThreadPool } from '../../threads/thread-pool.js';

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

export function createDeliveryPool(opts: DeliveryPoolOptions): Deliverer {
  const workerData: DeliveryThreadData = {
    secretKey: opts.secretKey,
    smtpUrl: opts.smtpUrl,
    smtpTls: opts.smtpTls,
    connections: Math.max(1, Math.ceil(opts.connections / opts.threads)),
    cfg: opts.cfg,
  };
  const pool = createThreadPool<OutboxRow, DeliveryResult>({
    name: 'delivery', entry: new URL('./delivery-thread.js', import.meta.url), threads: opts.threads, workerData,
    // A roomier young generation than the main thread's: rendering makes short-lived garbage.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
    ...(opts.log && { log: opts.log }),
  });
  return {
    deliver: (row) => pool.run(row).catch((err: Error): DeliveryResult => ({ ok: false, error: err.message, permanent: false })),
    close: () => pool.close(),
  };
}
