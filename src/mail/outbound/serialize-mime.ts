// Message options → RFC 5322 bytes plus the SMTP envelope. calndro's own layouts are written
// directly (mime-writer.ts, byte-identical to MailComposer); anything else is left to
// nodemailer's MailComposer itself. Boundaries come from the caller, so the same outbox row
// always yields the same bytes.
import { createHmac } from 'node:crypto';
import type { Options } from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { writeMime } from './mime-writer.js';

export interface SerializedMessage {
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

/**
 * The shared part of the multipart boundaries: fixed per message (a retried row is
 * byte-identical), and keyed, so nobody can predict it and forge a boundary inside a title.
 */
export function boundaryFor(secret: string, messageId: string): string {
  return createHmac('sha256', secret).update(messageId).digest('hex').slice(0, 24);
}

export async function serializeMessage(options: Options, baseBoundary: string): Promise<SerializedMessage> {
  const written = writeMime(options, baseBoundary);
  if (written) return written;
  const root = new MailComposer({ ...options, baseBoundary } as Options).compile();
  return { raw: await root.build(), envelope: root.getEnvelope() as SerializedMessage['envelope'] };
}
