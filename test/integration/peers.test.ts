// Proves the test peers work on this machine. No skips: a missing dovecot/postfix must fail loudly (.ci/run installs them).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage, deliverMessage, imapOptions, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { canConnect } from '../helpers/free-ports.js';
import { runSmtpSource, startSmtpSink } from '../helpers/smtp-sink.js';

const eml = (subject: string) =>
  `From: Alice <alice@example.test>\r\nTo: bot@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.test>\r\n\r\nHello ${subject}\r\n`;

const transport = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

async function subjectsIn(d: Dovecot, mailbox = 'INBOX'): Promise<string[]> {
  const client = new ImapFlow(imapOptions(d));
  client.on('error', () => {});
  await client.connect();
  const lock = await client.getMailboxLock(mailbox);
  try {
    // fetchAll, not a fetch() loop: no other command may run while that iterator is open (MAIL-NOTES §5)
    const msgs = await client.fetchAll('1:*', { envelope: true });
    return msgs.map((m) => m.envelope?.subject ?? '');
  } finally {
    lock.release();
    await client.logout();
  }
}

describe('dovecot', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await startDovecot();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('logs in with imapflow and sees an appended message', async () => {
    const { uid } = await appendMessage(d, eml('appended one'));
    expect(uid).toBeGreaterThan(0);
    expect(await subjectsIn(d)).toContain('appended one');
  });

  it('appends to another mailbox and delivers over LMTP', async () => {
    await appendMessage(d, eml('archived'), 'Archive');
    expect(await subjectsIn(d, 'Archive')).toEqual(['archived']);
    await deliverMessage(d, eml('via lmtp'));
    expect(await subjectsIn(d)).toContain('via lmtp');
  });

  it('restart drops the IMAP connection and keeps the mail', async () => {
    const client = new ImapFlow(imapOptions(d));
    client.on('error', () => {});
    await client.connect();
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    await d.restart();
    await closed;
    expect(await subjectsIn(d)).toContain('appended one');
  });

  it('kick drops sessions while the server stays up', async () => {
    const client = new ImapFlow(imapOptions(d));
    client.on('error', () => {});
    await client.connect();
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    await d.kick();
    await closed;
    expect(await canConnect(d.imapPort)).toBe(true);
  });

  it('runs in parallel and kill() closes the ports', async () => {
    const other = await startDovecot({ user: 'other@example.test', password: 'pw' });
    try {
      expect(other.imapPort).not.toBe(d.imapPort);
      await appendMessage(other, eml('second server'));
      expect(await subjectsIn(other)).toEqual(['second server']);
      await other.kill();
      expect(await canConnect(other.imapPort)).toBe(false);
    } finally {
      await other.stop();
    }
  });
});

describe('smtp-sink', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'calndro-sink-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a nodemailer message and dumps it', async () => {
    const sink = await startSmtpSink({ dir });
    try {
      const t = transport(sink.port);
      const info = await t.sendMail({ from: 'bot@example.test', to: 'alice@example.test', subject: 'to the sink', text: 'hi' });
      t.close();
      expect(info.accepted).toEqual(['alice@example.test']);
      const files = await sink.files();
      expect(files).toHaveLength(1);
      const dumped = await readFile(files[0]!, 'utf8');
      expect(dumped).toContain('X-Rcpt-Args: <alice@example.test>');
      expect(dumped).toContain('Subject: to the sink');
      await runSmtpSource({ port: sink.port, messages: 20, sessions: 4 });
      expect(sink.received()).toBe(21);
    } finally {
      await sink.stop();
    }
    expect(await canConnect(sink.port)).toBe(false);
  });

  it('injects a hard reject at end of DATA', async () => {
    const sink = await startSmtpSink({ hardReject: ['.'] });
    try {
      const t = transport(sink.port);
      // smtp-sink's default hard reply is "500 5.3.0 Error: command failed"
      await expect(t.sendMail({ from: 'bot@example.test', to: 'a@example.test', text: 'x' })).rejects.toMatchObject({ responseCode: 500 });
      t.close();
    } finally {
      await sink.stop();
    }
  });
});

describe('mail-catcher', () => {
  let c: MailCatcher;
  beforeAll(async () => {
    c = await startMailCatcher();
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('receives and parses a nodemailer message', async () => {
    const t = transport(c.port);
    await t.sendMail({ from: 'bot@example.test', to: ['a@example.test', 'b@example.test'], subject: 'caught', text: 'body text' });
    t.close();
    const m = await c.waitFor((x) => x.parsed.subject === 'caught', 5000);
    expect(m.envelope).toEqual({ from: 'bot@example.test', to: ['a@example.test', 'b@example.test'] });
    expect(m.parsed.text?.trim()).toBe('body text');
    expect(m.raw.toString()).toContain('Subject: caught');
  });

  it('tempfail answers 451, permfail 550, accept again after', async () => {
    const t = transport(c.port);
    const send = () => t.sendMail({ from: 'bot@example.test', to: 'a@example.test', subject: 'fail?', text: 'x' });
    c.setMode('tempfail');
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    c.setMode('permfail');
    await expect(send()).rejects.toMatchObject({ responseCode: 550 });
    expect(c.rejected).toHaveLength(2);
    c.setMode('accept');
    const before = c.messages.length;
    await send();
    await c.waitForCount(before + 1, 5000);
    t.close();
  });

  it('can go down and come back on the same port', async () => {
    const port = c.port;
    await c.stop();
    const t = transport(port);
    await expect(t.sendMail({ from: 'bot@example.test', to: 'a@example.test', text: 'x' })).rejects.toMatchObject({ code: 'ESOCKET' });
    c = await startMailCatcher({ port });
    await t.sendMail({ from: 'bot@example.test', to: 'a@example.test', subject: 'back', text: 'x' });
    t.close();
    await c.waitFor((m) => m.parsed.subject === 'back', 5000);
  });
});
