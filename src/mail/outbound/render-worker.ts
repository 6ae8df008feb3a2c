// Worker thread: outbox row → finished RFC 5322 bytes. Building MIME is most of the CPU an
// outgoing mail costs (bench:outbound profile: nodemailer ~30%, GC ~18%), so it runs beside the
// thread that talks to the database and the SMTP server.
import { parentPort, workerData } from 'node:worker_threads';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { compose, type ComposeConfig } from './compose.js';
import { createTokenService } from '../../security/tokens.js';
import type { OutboxRow } from '../../db/outbox-store.js';

export interface RenderJob { id: number; row: OutboxRow }
export type RenderResult =
  | { id: number; ok: true; raw: Uint8Array; from: string; to: string[]; scrubbed: string }
  | { id: number; ok: false; error: string };

const { secretKey, cfg } = workerData as { secretKey: string; cfg: Omit<ComposeConfig, 'openSealed'> };
const tokens = createTokenService(secretKey);
const config: ComposeConfig = { ...cfg, openSealed: (s) => tokens.open(s) };

parentPort!.on('message', async (job: RenderJob) => {
  try {
    const row = { ...job.row, createdAt: new Date(job.row.createdAt) };
    const { message, scrubbed } = compose(row, config);
    const mail = new MailComposer(message).compile();
    const raw: Buffer = await mail.build();
    const envelope = mail.getEnvelope();
    const out = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    const result: RenderResult = { id: job.id, ok: true, raw: out, from: envelope.from || cfg.mailFrom, to: envelope.to, scrubbed };
    parentPort!.postMessage(result);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies RenderResult);
  }
});
