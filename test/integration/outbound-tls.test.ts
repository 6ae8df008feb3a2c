// Outbound TLS as configured (SMTP_URL, SMTP_REQUIRE_TLS, SMTP_TLS_REJECT_UNAUTHORIZED): one
// outbox row through the real transport in real SMTP conversations, with a catcher that offers
// STARTTLS with a self-signed certificate and one that offers no TLS at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { deliverRow } from '../../src/mail/outbound/deliver.js';
import { outboundTls } from '../../src/mail/outbound/outbound-tls.js';
import { createSmtpTransport } from '../../src/mail/outbound/transport.js';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { selfSignedCert } from '../helpers/self-signed.js';
import { outboxRow } from '../unit/outbound-fixture.js';

const cfg = { publicUrl: 'https://c.test', mailDomain: 'c.test', mailFrom: 'bot@c.test', mailFromName: 'calndro', openSealed: (s: string) => s, boundaryKey: 'key',
  bounceAddress: (id: number) => `bounce+${id}-x@c.test` };

let plain: MailCatcher;
let starttls: MailCatcher;
beforeAll(async () => {
  plain = await startMailCatcher();
  starttls = await startMailCatcher({ tls: await selfSignedCert() });
});
afterAll(async () => {
  await plain?.stop();
  await starttls?.stop();
});

let seq = 0;
/** Sends one row to `catcher` with the transport the configuration `env` builds. */
async function send(catcher: MailCatcher, env: Record<string, string>) {
  const config = parseConfig({ SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, ...env });
  const transport = createSmtpTransport(config.SMTP_URL, 1, outboundTls(config));
  const row = outboxRow(++seq, `<tls-${seq}@c.test>`, 'tok');
  try {
    const result = await deliverRow(row, cfg, transport);
    return { result, caught: catcher.messages.find((m) => m.parsed.messageId === row.messageId) };
  } finally {
    transport.close();
  }
}

describe('outbound TLS', () => {
  it('loopback default: upgrades with STARTTLS when offered (self-signed accepted), plain otherwise', async () => {
    const upgraded = await send(starttls, {});
    expect(upgraded.result.ok).toBe(true);
    expect(upgraded.caught?.secure).toBe(true);
    const clear = await send(plain, {});
    expect(clear.result.ok).toBe(true);
    expect(clear.caught?.secure).toBe(false);
  });

  it('SMTP_REQUIRE_TLS=true: a relay that offers no STARTTLS gets nothing in clear', async () => {
    const { result, caught } = await send(plain, { SMTP_REQUIRE_TLS: 'true' });
    // The relay answers STARTTLS with a 5xx: fails for good, like any relay misconfiguration.
    expect(result).toMatchObject({ ok: false });
    expect(result.ok === false && result.error).toMatch(/STARTTLS/);
    expect(caught).toBeUndefined();
  });

  it('SMTP_TLS_REJECT_UNAUTHORIZED=true: an unverifiable certificate stops the delivery', async () => {
    const { result, caught } = await send(starttls, { SMTP_REQUIRE_TLS: 'true', SMTP_TLS_REJECT_UNAUTHORIZED: 'true' });
    expect(result).toMatchObject({ ok: false });
    expect(result.ok === false && result.error).toMatch(/certificate/i);
    expect(caught).toBeUndefined();
  });

  it('SMTP_REQUIRE_TLS=true without certificate checks delivers over TLS', async () => {
    const { result, caught } = await send(starttls, { SMTP_REQUIRE_TLS: 'true', SMTP_TLS_REJECT_UNAUTHORIZED: 'false' });
    expect(result.ok).toBe(true);
    expect(caught?.secure).toBe(true);
  });
});
