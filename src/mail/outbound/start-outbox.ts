// The outbox as configured: a worker over the outbox store, delivering through delivery threads
// (OUTBOX_THREADS) or, with 0, on this thread. Woken whenever a committed change queued mail.
import type { Clock } from '../../domain/ports.js';
import type { Config } from '../../config/index.js';
import { createBounceKeys } from '../../security/bounce-keys.js';
import { createDeliveryPool } from './delivery-pool.js';
import { startOutboxWorker, type OutboxWorker } from './outbox-worker.js';
import { outboundTls } from './outbound-tls.js';
import type { OutboxStore } from './ports.js';

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** The part of the composition root (deps.ts AppDeps) the outbox uses. */
export interface OutboxWiring {
  stores: { outbox: OutboxStore; onOutbox: { listener: () => void }; clock: Clock };
  secretKey: string;
  /** Opens values sealed into outbox rows. */
  openSealed: (sealed: string) => string;
}

export async function startOutbox(config: Config, appDeps: OutboxWiring, log: Log): Promise<OutboxWorker> {
  const smtpTls = outboundTls(config);
  const composeCfg = { publicUrl: config.PUBLIC_URL, mailDomain: config.MAIL_DOMAIN, mailFrom: config.MAIL_FROM, mailFromName: config.MAIL_FROM_NAME };
  // Loaded only for in-process delivery: with delivery threads, the MIME and SMTP libraries
  // live in the threads and the main process does not carry them (~10 MB of RSS).
  const deliverer = config.OUTBOX_THREADS > 0
    ? createDeliveryPool({ threads: config.OUTBOX_THREADS, secretKey: appDeps.secretKey, smtpUrl: config.SMTP_URL, smtpTls,
      connections: config.OUTBOX_CONCURRENCY, cfg: composeCfg, log })
    : (await import('./deliver.js')).inlineDeliverer(
      (await import('./transport.js')).createSmtpTransport(config.SMTP_URL, config.OUTBOX_CONCURRENCY, smtpTls),
      { ...composeCfg, openSealed: appDeps.openSealed, boundaryKey: appDeps.secretKey,
        bounceAddress: createBounceKeys(appDeps.secretKey, config.MAIL_DOMAIN).address });
  const worker = startOutboxWorker(appDeps.stores.outbox, deliverer, {
    batchSize: config.OUTBOX_BATCH_SIZE, concurrency: config.OUTBOX_CONCURRENCY, maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    backoffMs: config.OUTBOX_BACKOFF_MS, pollMs: config.OUTBOX_POLL_MS, lockMs: config.OUTBOX_LOCK_SECONDS * 1000, log,
    clock: appDeps.stores.clock,
  });
  appDeps.stores.onOutbox.listener = () => worker.kick();
  return worker;
}
