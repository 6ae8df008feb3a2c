// One outbox row → one SMTP delivery attempt: compose, serialize, send. The same code runs on
// the outbox's own thread (OUTBOX_THREADS=0) or inside a delivery thread.
import { Readable } from 'node:stream';
import type { Transporter } from 'nodemailer';
import type { OutboxRow } from '../../db/outbox-store.js';
import { compose, type ComposeConfig } from './compose.js';
import { boundaryFor, serializeMessage } from './serialize-mime.js';
import { isPermanent } from './transport.js';

export type DeliveryResult =
  | { ok: true; scrubbed: string }
  /**
   * permanent: a 5xx, or a row that cannot be composed (a bug: a retry would fail the same
   * way); scrubbed is then missing.
   */
  | { ok: false; error: string; permanent: boolean; scrubbed?: string };

export interface Deliverer {
  deliver(row: OutboxRow): Promise<DeliveryResult>;
  close(): Promise<void>;
}

export interface DeliveryConfig extends ComposeConfig {
  /** Keys the multipart boundaries (see boundaryFor). */
  boundaryKey: string;
  /** The row's own envelope sender, bounce+<row>-<key>@MAIL_DOMAIN (VERP, security/bounce-keys.ts). */
  bounceAddress: (rowId: number) => string;
}

export async function deliverRow(row: OutboxRow, cfg: DeliveryConfig, transport: Transporter): Promise<DeliveryResult> {
  let message: Awaited<ReturnType<typeof serializeMessage>>;
  let scrubbed: string;
  try {
    const composed = compose(row, cfg);
    scrubbed = composed.scrubbed;
    message = await serializeMessage(composed.message, boundaryFor(cfg.boundaryKey, row.messageId));
    // Delivery reports come back to the envelope sender: this row's own address (SPEC §5).
    message.envelope.from = cfg.bounceAddress(row.id);
  } catch (err) {
    return { ok: false, error: errorText(err), permanent: true };
  }
  try {
    await sendRaw(transport, message, row.messageId);
    return { ok: true, scrubbed };
  } catch (err) {
    return { ok: false, error: errorText(err), permanent: isPermanent(err), scrubbed };
  }
}

/**
 * Hands finished bytes straight to the transport (nodemailer's transport contract: `send(mail,
 * callback)` with `mail.message` answering getEnvelope/messageId/getHeader/createReadStream).
 * Mailer#sendMail would wrap the bytes in a new MIME tree with its own random Message-ID and a
 * pipeline of streams first, for nothing here (~10% of a delivery thread's time).
 */
function sendRaw(transport: Transporter, { raw, envelope }: { raw: Buffer; envelope: { from: string; to: string[] } }, messageId: string): Promise<void> {
  const { transporter } = transport as unknown as { transporter: { send(mail: object, done: (err: Error | null) => void): void } };
  const message = {
    getEnvelope: () => ({ from: envelope.from, to: [...envelope.to] }),
    messageId: () => messageId,
    getHeader: (key: string) => (key.toLowerCase() === 'message-id' ? messageId : undefined),
    createReadStream: () => Readable.from([raw], { objectMode: false }),
  };
  return new Promise((resolve, reject) => transporter.send({ data: {}, message }, (err) => (err ? reject(err) : resolve())));
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Delivers on the calling thread over one pooled transport. */
export function inlineDeliverer(transport: Transporter, cfg: DeliveryConfig): Deliverer {
  return {
    deliver: (row) => deliverRow(row, cfg, transport),
    async close() {
      transport.close();
    },
  };
}
