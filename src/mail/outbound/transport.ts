// nodemailer over SMTP_URL with a pooled connection (the outbox sends in parallel batches).
import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';

export function createSmtpTransport(url: string, maxConnections: number): Transporter {
  // The options object (not a URL string) form: a string's second argument would be taken
  // as message defaults and the pool settings silently ignored.
  const options: SMTPPoolOptions & { url: string } = {
    url,
    pool: true,
    maxConnections,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // The dev inbox and test catchers have self-signed or no TLS.
    tls: { rejectUnauthorized: !url.includes('localhost') && !url.includes('127.0.0.1') },
  };
  return nodemailer.createTransport(options);
}

/** 5xx replies are permanent (RFC 5321 §4.2.1); anything else (4xx, network) is retried. */
export function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
