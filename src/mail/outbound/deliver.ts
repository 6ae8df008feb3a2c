// One outbox row → one SMTP delivery attempt: compose, serialize, send. The same code runs on
// the outbox's own thread (OUTBOX_THREADS=0) or inside a delivery thread.
import type { Transporter } from 'nodemailer';
import type { OutboxRow } from './ports.js';
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
  let raw: Buffer;
  let scrubbed: string;
  try {
    const composed = compose(row, cfg);
    scrubbed = composed.scrubbed;
    raw = await serializeMessage(composed.message, boundaryFor(cfg.boundaryKey, row.messageId));
  } catch (err) {
    return { ok: false, error: errorText(err), permanent: true };
  }
  try {
    // nodemailer's documented `raw` message option sends the built bytes as they are (a retry
    // sends the same bytes); the envelope is explicit rather than read back from the headers.
    // Delivery reports come back to the envelope sender: this row's own address (SPEC §5).
    await transport.sendMail({ raw, envelope: { from: cfg.bounceAddress(row.id), to: [row.recipient] }, messageId: row.messageId });
    return { ok: true, scrubbed };
  } catch (err) {
    return { ok: false, error: errorText(err), permanent: isPermanent(err), scrubbed };
  }
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
