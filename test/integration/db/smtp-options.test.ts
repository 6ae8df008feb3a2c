// The SMTP door's optional STARTTLS and AUTH (configuration), with real SMTP clients.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { freePort } from '../../helpers/free-ports.js';
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
const TO = `reply+${'a'.repeat(40)}@calndro.test`;

it('requires AUTH when configured, and accepts mail over STARTTLS with it', async () => {
  const anonymous = await swaks(port, ['--from', 'a@example.com', '--to', TO, '--body', '1']);
  expect(anonymous.ok).toBe(false);
  expect(anonymous.output).toMatch(/530/);
  // swaks would need Net::SSLeay for TLS; nodemailer speaks STARTTLS + AUTH natively.
  const send = (pass: string, user = 'relay') => nodemailer.createTransport({
    host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false },
    auth: { user, pass },
  }).sendMail({ from: 'a@example.com', to: TO, subject: 'x', text: '1' });
  // Compared as equal-length digests in constant time: wrong, same length, prefix, longer, wrong user.
  for (const [pass, user] of [['nope', 'relay'], ['relay secreT', 'relay'], ['relay', 'relay'], ['relay secret!', 'relay'], ['relay secret', 'relax']]) {
    await expect(send(pass!, user)).rejects.toMatchObject({ responseCode: 535 });
  }
  expect(await inbound()).toBe(0);
  const info = await send('relay secret');
  expect(info.response).toMatch(/^250/);
  expect(await inbound()).toBe(1);
});
