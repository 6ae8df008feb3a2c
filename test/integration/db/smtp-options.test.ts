// The SMTP door's optional STARTTLS and AUTH (configuration), with real SMTP clients.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { freePort } from '../../helpers/ports.js';
import nodemailer from 'nodemailer';
import { swaks } from '../../helpers/swaks.js';
import { selfSignedCert } from '../../helpers/self-signed.js';

let t: TestServer;
let port: number;

beforeAll(async () => {
  const { key, cert } = await selfSignedCert();
  port = await freePort();
  t = await startTestServer({
    SMTP_ENABLED: 'true', SMTP_PORT: String(port),
    SMTP_TLS_KEY: key, SMTP_TLS_CERT: cert,
    SMTP_AUTH_USER: 'relay', SMTP_AUTH_PASSWORD: 'relay secret',
  });
});
afterAll(() => t?.stop());

const inbound = () => t.server.appDeps.stores.database.db.inboundMessage.count();

it('requires AUTH when configured, and accepts mail over STARTTLS with it', async () => {
  const anonymous = await swaks(port, ['--from', 'a@example.com', '--to', 'reply+x@calndro.test', '--body', '1']);
  expect(anonymous.ok).toBe(false);
  expect(anonymous.output).toMatch(/530/);
  // swaks would need Net::SSLeay for TLS; nodemailer speaks STARTTLS + AUTH natively.
  const send = (pass: string) => nodemailer.createTransport({
    host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false },
    auth: { user: 'relay', pass },
  }).sendMail({ from: 'a@example.com', to: 'reply+x@calndro.test', subject: 'x', text: '1' });
  await expect(send('nope')).rejects.toMatchObject({ responseCode: 535 });
  expect(await inbound()).toBe(0);
  const info = await send('relay secret');
  expect(info.response).toMatch(/^250/);
  expect(await inbound()).toBe(1);
});
