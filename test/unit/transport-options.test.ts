// The nodemailer options built from SMTP_URL and the configured TLS policy (pure; the real
// conversations are in test/integration/outbound-tls.test.ts).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { outboundTls } from '../../src/mail/outbound/outbound-tls.js';
import { smtpTransportOptions } from '../../src/mail/outbound/transport.js';

const optionsFor = (env: Record<string, string>) => {
  const c = parseConfig(env);
  const o = smtpTransportOptions(c.SMTP_URL, 4, outboundTls(c));
  return { requireTLS: o.requireTLS, rejectUnauthorized: o.tls?.rejectUnauthorized };
};

describe('smtpTransportOptions', () => {
  it('keeps the URL and the pool settings', () => {
    const o = smtpTransportOptions('smtp://u:p@relay.example.org:587', 4, { requireTLS: true, rejectUnauthorized: true });
    expect(o).toMatchObject({ url: 'smtp://u:p@relay.example.org:587', pool: true, maxConnections: 4 });
  });

  it.each([
    ['smtp://localhost:1025', { requireTLS: false, rejectUnauthorized: false }],
    ['smtp://127.0.0.1:1025', { requireTLS: false, rejectUnauthorized: false }],
    ['smtp://[::1]:1025', { requireTLS: false, rejectUnauthorized: false }],
    ['smtp://relay.example.org:587', { requireTLS: true, rejectUnauthorized: true }],
    // BUG (Hardening): these contained "localhost" / "127.0.0.1" and got no certificate checks.
    ['smtp://localhost.example.org:587', { requireTLS: true, rejectUnauthorized: true }],
    ['smtp://127.0.0.1.nip.example:587', { requireTLS: true, rejectUnauthorized: true }],
    ['smtps://localhost:pw@relay.example.org', { requireTLS: false, rejectUnauthorized: true }],
    // smtps:// is TLS from the start: requireTLS (a STARTTLS option) stays off.
    ['smtps://relay.example.org', { requireTLS: false, rejectUnauthorized: true }],
  ])('%s → %o', (url, expected) => {
    expect(optionsFor({ SMTP_URL: url })).toEqual(expected);
  });

  it('follows the explicit settings', () => {
    expect(optionsFor({ SMTP_URL: 'smtp://mailhog:1025', SMTP_REQUIRE_TLS: 'false' })).toEqual({ requireTLS: false, rejectUnauthorized: true });
    expect(optionsFor({ SMTP_URL: 'smtp://127.0.0.1:1025', SMTP_REQUIRE_TLS: 'yes', SMTP_TLS_REJECT_UNAUTHORIZED: '1' }))
      .toEqual({ requireTLS: true, rejectUnauthorized: true });
  });
});
