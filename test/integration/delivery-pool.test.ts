// The delivery threads on their own: real threads, a real SMTP catcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryPool } from '../../src/mail/outbound/delivery-pool.js';
import { createTokenService } from '../../src/security/tokens.js';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { outboxRow } from '../unit/outbound-fixture.js';

const secretKey = 'delivery-pool-test-secret-key-0123456789abcdef';
const cfg = { publicUrl: 'https://calndro.test', mailDomain: 'calndro.test', mailFrom: 'calndro@calndro.test', mailFromName: 'calndro' };
const smtpTls = { requireTLS: false, rejectUnauthorized: false };
const sealed = createTokenService(secretKey).seal('feedc0de'.repeat(5));

const row = (id: number) => outboxRow(id, `<pool-${id}@calndro.test>`, sealed);

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(() => catcher?.stop());

describe('delivery pool', () => {
  it('builds and sends on its threads', async () => {
    const pool = createDeliveryPool({ threads: 2, secretKey, smtpUrl: `smtp://127.0.0.1:${catcher.port}`, connections: 4, cfg, smtpTls });
    try {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => pool.deliver(row(id))));
      expect(results.every((r) => r.ok)).toBe(true);
      const ids = catcher.messages.map((m) => m.parsed.messageId).filter((id) => id?.startsWith('<pool-'));
      expect(ids.sort()).toEqual([1, 2, 3, 4, 5, 6].map((id) => `<pool-${id}@calndro.test>`));
      const mail = catcher.messages.find((m) => m.parsed.messageId === '<pool-1@calndro.test>')!;
      expect(mail.parsed.replyTo?.value[0]?.address).toBe(`reply+${'feedc0de'.repeat(5)}@calndro.test`);
    } finally {
      await pool.close();
    }
  });

  it('answers with temporary failures (for the outbox to retry) while its threads cannot start', async () => {
    // An SMTP URL nodemailer cannot parse kills each thread as it starts (config rejects it; this
    // goes around config to cause the fault).
    const pool = createDeliveryPool({ threads: 1, secretKey, smtpUrl: 'smtp://[bad', connections: 1, cfg, smtpTls });
    try {
      const first = await pool.deliver(row(90));
      expect(first).toMatchObject({ ok: false, permanent: false });
      await new Promise((r) => setTimeout(r, 200));
      expect(await pool.deliver(row(91))).toMatchObject({ ok: false, permanent: false, error: 'no delivery thread running' });
    } finally {
      await pool.close();
    }
  });
});
