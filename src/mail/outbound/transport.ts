// nodemailer over SMTP_URL with a pooled connection (the outbox sends in parallel batches).
import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';
import type { OutboundTls } from './outbound-tls.js';

/** The options handed to nodemailer, pure so the TLS decisions are tested without a relay. */
export function smtpTransportOptions(url: string, maxConnections: number, tls: OutboundTls): SMTPPoolOptions & { url: string } {
  // The options object (not a URL string) form: a string's second argument would be taken
  // as message defaults and the pool settings silently ignored.
  return {
    url,
    pool: true,
    maxConnections,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // smtps:// is TLS from the first byte; requireTLS only means something for STARTTLS.
    requireTLS: tls.requireTLS && new URL(url).protocol === 'smtp:',
    tls: { rejectUnauthorized: tls.rejectUnauthorized },
  };
}

export function createSmtpTransport(url: string, maxConnections: number, tls: OutboundTls): Transporter {
  return nodemailer.createTransport(smtpTransportOptions(url, maxConnections, tls));
}

/** 5xx replies are permanent (RFC 5321 §4.2.1); anything else (4xx, network) is retried. */
export function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
