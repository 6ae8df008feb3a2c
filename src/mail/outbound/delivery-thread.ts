// Delivery thread: renders outbox rows and sends them over its own pooled SMTP transport, so
// MIME building and the SMTP conversation (most of what a mail costs) run beside the thread
// that owns the database; only the row goes in and a small result comes back.
import { workerData } from 'node:worker_threads';
import type { OutboxRow } from './ports.js';
import { createTokenService } from '../../security/tokens.js';
import { createBounceKeys } from '../../security/bounce-keys.js';
import type { ComposeConfig } from './compose.js';
import { deliverRow, type DeliveryConfig } from './deliver.js';
import { loadTemplates } from './render.js';
import { createSmtpTransport } from './transport.js';
import type { OutboundTls } from './outbound-tls.js';
import { serveJobs } from '../../threads/thread-pool.js';

export interface DeliveryThreadData {
  secretKey: string;
  smtpUrl: string;
  smtpTls: OutboundTls;
  connections: number;
  cfg: Omit<ComposeConfig, 'openSealed'>;
}

const { secretKey, smtpUrl, smtpTls, connections, cfg } = workerData as DeliveryThreadData;
const tokens = createTokenService(secretKey);
const bounceKeys = createBounceKeys(secretKey, cfg.mailDomain);
const config: DeliveryConfig = { ...cfg, openSealed: (s) => tokens.open(s), boundaryKey: secretKey, bounceAddress: bounceKeys.address };
const transport = createSmtpTransport(smtpUrl, connections, smtpTls);
loadTemplates();

serveJobs((row: OutboxRow) => deliverRow({ ...row, createdAt: new Date(row.createdAt) }, config, transport), () => transport.close());
