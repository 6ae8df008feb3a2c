// Message options → RFC 5322 bytes, built by nodemailer's MailComposer (its documented public
// module, nodemailer.com/extras/mailcomposer). The boundaries come from the caller and the Date
// and Message-ID from the row (build-message.ts), so the same outbox row always yields the
// same bytes.
import { createHmac } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

/**
 * The shared part of the multipart boundaries: fixed per message (a retried row is
 * byte-identical), and keyed, so nobody can predict it and forge a boundary inside a title.
 */
export function boundaryFor(secret: string, messageId: string): string {
  return createHmac('sha256', secret).update(messageId).digest('hex').slice(0, 24);
}

export function serializeMessage(options: SendMailOptions, baseBoundary: string): Promise<Buffer> {
  return new MailComposer({ ...options, baseBoundary }).compile().build();
}
