// The SMTP door is bounded (SPEC §5, Hardening): only the bot's own local parts are accepted at
// RCPT, connections are capped (SMTP_MAX_CLIENTS), and a sender trickling its message is cut
// off at SMTP_DATA_TIMEOUT. Raw sockets, since well-behaved clients cannot misbehave on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { freePort } from '../../helpers/free-ports.js';
import { openSmtpSession, sendAll, type SmtpSession } from '../../helpers/raw-smtp.js';

let t: TestServer;
let port: number;
const TOKEN = 'ab'.repeat(20);

beforeAll(async () => {
  port = await freePort();
  t = await startTestServer({ SMTP_ENABLED: 'true', SMTP_PORT: String(port), SMTP_MAX_CLIENTS: '3', SMTP_DATA_TIMEOUT: '2s' });
});
afterAll(() => t?.stop());

const inboundCount = () => t.server.appDeps.stores.database.db.inboundMessage.count();

async function rcpt(to: string): Promise<string> {
  const s = openSmtpSession(port);
  try {
    await s.reply();
    await s.cmd('EHLO client.example\r\n');
    await s.cmd('MAIL FROM:<a@example.com>\r\n');
    return await s.cmd(`RCPT TO:<${to}>\r\n`);
  } finally {
    await s.cmd('QUIT\r\n');
    s.end();
    await s.closed;
  }
}

describe('RCPT', () => {
  it.each([
    `reply+${TOKEN}@calndro.test`, `meet+${TOKEN.toUpperCase()}@calndro.test`, `bounce+12-${'c'.repeat(32)}@calndro.test`, 'new@calndro.test', 'NEW@Calndro.Test',
  ])('accepts %s', async (to) => {
    expect(await rcpt(to)).toMatch(/^250 /);
  });

  it.each([
    'calndro@calndro.test', 'postmaster@calndro.test', 'bot@calndro.test', 'reply+abc@calndro.test', `reply+${TOKEN}0@calndro.test`,
    `reply-${TOKEN}@calndro.test`, 'bounce+12@calndro.test', `bounce+x-${'c'.repeat(32)}@calndro.test`, 'newer@calndro.test',
  ])('refuses %s with 550 and says which addresses receive mail', async (to) => {
    const reply = await rcpt(to);
    expect(reply).toMatch(/^550 5\.1\.1 /);
    expect(reply).toContain('only reply+<token>@, meet+<token>@, bounce+<key>@ and new@ receive mail');
  });

  it('refuses another domain with 550', async () => {
    expect(await rcpt(`reply+${TOKEN}@elsewhere.example`)).toMatch(/^550 .*only accept mail for @calndro\.test/);
  });
});

describe('slow and many senders', () => {
  it('answers a sender still trickling its message after SMTP_DATA_TIMEOUT with 421 and closes; nothing is stored', async () => {
    const before = await inboundCount();
    const s = openSmtpSession(port);
    await s.reply();
    await s.cmd('EHLO client.example\r\n');
    await s.cmd('MAIL FROM:<a@example.com>\r\n');
    expect(await s.cmd(`RCPT TO:<reply+${TOKEN}@calndro.test>\r\n`)).toMatch(/^250/);
    expect(await s.cmd('DATA\r\n')).toMatch(/^354/);
    s.write('From: a@example.com\r\nSubject: slow\r\n\r\n');
    // One line every 200 ms keeps the socket busy (an idle timeout never fires); 6 s in all,
    // three times the deadline, then the end of the message.
    const answer = s.reply();
    const started = Date.now();
    for (let i = 0; i < 30 && !s.isClosed(); i++) {
      s.write(`line ${i}\r\n`);
      await new Promise((r) => setTimeout(r, 200));
    }
    s.write('.\r\n');
    expect(await answer).toMatch(/^421 4\.4\.2 Message not received within 2 s/);
    expect(Date.now() - started).toBeLessThan(4_000);
    await s.closed;
    expect(await inboundCount()).toBe(before);
  });

  it('answers connections beyond SMTP_MAX_CLIENTS with 421; a freed slot takes mail again', async () => {
    const held: SmtpSession[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = openSmtpSession(port);
        held.push(s);
        expect(await s.reply()).toMatch(/^220/);
      }
      const extra = openSmtpSession(port);
      expect(await extra.reply()).toMatch(/^421 .*Too many connected clients/);
      await extra.closed;
    } finally {
      for (const s of held) s.end();
      await Promise.all(held.map((s) => s.closed));
    }
    const raw = Buffer.from('From: a@example.com\r\nMessage-ID: <limits-1@example.com>\r\nSubject: x\r\n\r\n1\r\n');
    expect(await sendAll(port, [{ to: `reply+${TOKEN}@calndro.test`, raw }])).toEqual([250]);
  });
});
