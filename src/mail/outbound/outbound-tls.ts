// The outbound TLS policy as configured; apart from transport.ts so the main thread can pass it
// to the delivery threads without loading nodemailer.
import type { Config } from '../../config/index.js';

/** Resolved by the configuration (SMTP_REQUIRE_TLS, SMTP_TLS_REJECT_UNAUTHORIZED). */
export interface OutboundTls {
  /** On smtp://, refuse to send unless the relay upgrades with STARTTLS (nodemailer `requireTLS`). */
  requireTLS: boolean;
  /** Verify the relay's certificate and host name. */
  rejectUnauthorized: boolean;
}

export function outboundTls(config: Pick<Config, 'SMTP_REQUIRE_TLS' | 'SMTP_TLS_REJECT_UNAUTHORIZED'>): OutboundTls {
  return { requireTLS: config.SMTP_REQUIRE_TLS, rejectUnauthorized: config.SMTP_TLS_REJECT_UNAUTHORIZED };
}
