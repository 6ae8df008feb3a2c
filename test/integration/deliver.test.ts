// One outbox row through deliverRow and a real pooled SMTP transport into a real catcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverRow } from '../../src/mail/outbound/deliver.js';
import { createSmtpTransport } from '../../src/mail/outbound/transport.js';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { freePort } from '../helpers/free-ports.js';
import { outboxRow } from '../unit/outbound-fixture.js';
import { createBounceKeys } from '../../src/security/bounce-keys.js';

const bounceKeys = createBounceKeys('k'.repeat(32), 'c.test');
const cfg = { publicUrl: 'https://c.test', mailDomain: 'c.test', mailFrom: 'bot@c.test', mailFromName: 'calndro', openSealed: (s: string) => s,
  boundaryKey: 'key', bounceAddress: bounceKeys.address };
// openSealed is the identity here: the "sealed" token is the token itself.
// What the configuration resolves for a loopback relay.
const tls = { requireTLS: false, rejectUnauthorized: false };
const row = outboxRow(9, '<calndro.out.9@c.test>', 'tok123');

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(() => catcher?.stop());

describe('deliverRow', () => {
  it('sends byte-identical mail when a row is retried', async () => {
    const transport = createSmtpTransport(`smtp://127.0.0.1:${catcher.port}`, 1, tls);
    try {
      expect((await deliverRow(row, cfg, transport)).ok).toBe(true);
      expect((await deliverRow({ ...row, attempts: 1 }, cfg, transport)).ok).toBe(true);
    } finally {
      transport.close();
    }
    const [first, second] = catcher.messages.filter((m) => m.parsed.messageId === row.messageId);
    expect(first!.raw.equals(second!.raw)).toBe(true);
    expect(first!.raw.toString()).toContain('reply+tok123@c.test');
    // VERP: the row's own bounce address is the envelope sender (SPEC §5), and it leads back to the row.
    expect(first!.envelope).toEqual({ from: bounceKeys.address(row.id), to: ['bob@example.test'] });
    expect(first!.envelope.from).toMatch(/^bounce\+9-[0-9a-f]{32}@c\.test$/);
    expect(bounceKeys.rowOf(first!.envelope.from)).toBe(9);
    const tampered = first!.envelope.from.replace(/([0-9a-f])@/, (_m, c: string) => `${c === '0' ? '1' : '0'}@`);
    expect(bounceKeys.rowOf(tampered)).toBeNull();
  });

  it('a row that cannot be composed fails for good; a transport error is temporary unless 5xx', async () => {
    const transport = createSmtpTransport(`smtp://127.0.0.1:${catcher.port}`, 1, tls);
    const nobody = createSmtpTransport(`smtp://127.0.0.1:${await freePort()}`, 1, tls);
    try {
      expect(await deliverRow({ ...row, payload: '{broken' }, cfg, transport)).toMatchObject({ ok: false, permanent: true });
      expect(await deliverRow(row, cfg, nobody)).toMatchObject({ ok: false, permanent: false, scrubbed: expect.any(String) });
      catcher.setMode('tempfail');
      expect(await deliverRow(row, cfg, transport)).toMatchObject({ ok: false, permanent: false });
      catcher.setMode('permfail');
      expect(await deliverRow(row, cfg, transport)).toMatchObject({ ok: false, permanent: true });
    } finally {
      catcher.setMode('accept');
      transport.close();
      nobody.close();
    }
  });
});
