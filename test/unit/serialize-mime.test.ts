import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Options } from 'nodemailer/lib/mailer';
import { describe, expect, it } from 'vitest';
import { buildMessage, messageIdFor } from '../../src/mail/outbound/build-message.js';
import type { MailKind } from '../../src/mail/outbound/payload.js';
import { boundaryFor, serializeMessage } from '../../src/mail/outbound/serialize-mime.js';
import { deliverRow } from '../../src/mail/outbound/deliver.js';
import { writeMime } from '../../src/mail/outbound/mime-writer.js';
import { input } from './outbound-fixture.js';

const BOUNDARY = 'f00dfeedf00dfeedf00dfeed';
const ids = { messageId: messageIdFor(42, 'example.test'), references: ['<calndro.event.7@example.test>'] };

/** The reference: nodemailer's own stream-based build of the same options and boundary. */
async function composerBytes(options: Options): Promise<Buffer> {
  return new MailComposer({ ...options, baseBoundary: BOUNDARY } as Options).compile().build();
}

/** `direct`: the layout must be one mime-writer.ts writes itself (not the general tree walk). */
async function expectSameBytes(options: Options, direct = true): Promise<Buffer> {
  expect(writeMime(options, BOUNDARY) !== null).toBe(direct);
  const ours = await serializeMessage(options, BOUNDARY);
  const theirs = await composerBytes(options);
  expect(ours.raw.toString('utf8')).toBe(theirs.toString('utf8'));
  expect(ours.raw.equals(theirs)).toBe(true);
  return ours.raw;
}

const KINDS: MailKind[] = ['proposal', 'confirmation', 'cancellation', 'ack', 'help'];

describe('serializeMessage: byte-identical to MailComposer', () => {
  it.each(KINDS)('%s mail', async (kind) => {
    const raw = await expectSameBytes(buildMessage(input(kind, { details: { kept: [1], subject: 'Re: x', inReplyTo: '<a@b>' } }), ids));
    expect(raw.toString()).toContain(`--_NmP-${BOUNDARY}-Part_`);
  });

  it('non-ASCII names, titles and addresses (encoded words, QP of UTF-8)', async () => {
    await expectSameBytes(buildMessage(input('confirmation', {
      title: 'Réunion trimestrielle — 会議 «Q&A» with a title long enough to fold the Subject header over two lines',
      senderName: 'Zoë "the boss" Ångström',
      parties: ['zoë@bücher.example', 'bob@example.test'],
      recipient: 'bob@example.test',
    }), ids));
  });

  it('awkward bodies: dots at line starts, trailing blanks, long lines, CR/LF mixes, empty html', async () => {
    const base = buildMessage(input('proposal'), ids);
    const awkward = '.\n..leading dots\r\ntrailing blanks   \n\t\n' + 'x'.repeat(300) + '\n' + 'é'.repeat(120);
    await expectSameBytes({ ...base, text: awkward, html: '<p>' + 'ü '.repeat(200) + '</p>\r' });
    await expectSameBytes({ ...base, text: 'no final newline', html: 'short html, all 7bit' });
    await expectSameBytes({ ...base, text: '会議の時間を選んでください。'.repeat(20), html: '<p>' + '日本語'.repeat(100) + '</p>' });
    await expectSameBytes({ ...buildMessage(input('confirmation', { title: 'Ünïcödé title in the calendar' }), ids) });
    // The general way: an empty part, a Buffer attachment.
    await expectSameBytes({ ...base, text: awkward, html: '' }, false);
    await expectSameBytes({ ...base, text: 'plain 7bit\n', html: undefined, attachments: [{ filename: 'a.bin', content: Buffer.from([0, 1, 2, 255, 13, 10, 13]) }] }, false);
  });

  it('stays byte-identical on 300 generated titles, sender names and bodies (a fixed seed)', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['a', 'Zoë', ' ', '  ', '"', "'", '\\', '=', '?', '.', '..', '\r\n', '\n', '\t', '\u0001', '<b>', '&amp;', '会議',
      '😀', 'x'.repeat(80), '=?utf-8?q?x?=', ';', ',', ':', '(', ')', '--', 'é'.repeat(30), '\u00a0', 'Ł'];
    const text = (n: number) => Array.from({ length: 1 + Math.floor(random() * n) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    let direct = 0;
    for (let i = 0; i < 300; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const options = buildMessage(input(kind, { title: text(12), senderName: random() < 0.3 ? null : text(6) }), ids);
      const body = random() < 0.5 ? {} : { text: text(200), html: `<p>${text(200)}</p>` };
      const all = { ...options, ...body };
      const ours = await serializeMessage(all, BOUNDARY);
      expect(ours.raw.toString('utf8')).toBe((await composerBytes(all)).toString('utf8'));
      if (writeMime(all, BOUNDARY)) direct++;
    }
    expect(direct).toBeGreaterThan(250);
  });

  it('returns the SMTP envelope nodemailer would', async () => {
    for (const recipient of ['bob@example.test', 'zoë@bücher.example']) {
      const options = buildMessage(input('proposal', { recipient }), ids);
      const { envelope } = await serializeMessage(options, BOUNDARY);
      expect(envelope).toEqual(new MailComposer(options).compile().getEnvelope());
    }
    expect((await serializeMessage(buildMessage(input('proposal'), ids), BOUNDARY)).envelope).toEqual({ from: 'calndro@example.test', to: ['bob@example.test'] });
  });

  it('falls back to the stream build for what it does not cover', async () => {
    const { Readable } = await import('node:stream');
    const options = { ...buildMessage(input('ack'), ids), text: Readable.from([Buffer.from('streamed text\n')]) };
    const { raw } = await serializeMessage(options, BOUNDARY);
    expect(raw.toString()).toContain('streamed text');
  });
});

describe('boundaryFor', () => {
  it('is fixed per message and key, and differs across messages and keys', () => {
    expect(boundaryFor('k', '<a@x>')).toBe(boundaryFor('k', '<a@x>'));
    expect(boundaryFor('k', '<a@x>')).not.toBe(boundaryFor('k', '<b@x>'));
    expect(boundaryFor('k', '<a@x>')).not.toBe(boundaryFor('other', '<a@x>'));
    expect(boundaryFor('k', '<a@x>')).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('deliverRow', () => {
  // A transport that keeps what it was handed: the bytes are the subject here, not SMTP.
  // A transport (nodemailer's transport contract: transporter.send) that keeps the bytes it reads.
  type Mail = { message: { createReadStream(): NodeJS.ReadableStream; messageId(): string; getEnvelope(): unknown } };
  const capture = () => {
    const sent: Buffer[] = [];
    const envelopes: unknown[] = [];
    const send = async (mail: Mail, done: (err: Error | null) => void) => {
      const chunks: Buffer[] = [];
      for await (const c of mail.message.createReadStream()) chunks.push(c as Buffer);
      sent.push(Buffer.concat(chunks));
      envelopes.push({ ...(mail.message.getEnvelope() as object), messageId: mail.message.messageId() });
      done(null);
    };
    return { sent, envelopes, transport: { transporter: { send: (m: Mail, d: (e: Error | null) => void) => void send(m, d) } } as never };
  };
  const cfg = { publicUrl: 'https://c.test', mailDomain: 'c.test', mailFrom: 'bot@c.test', mailFromName: 'calndro', openSealed: (s: string) => s, boundaryKey: 'key' };
  const row = {
    id: 9, eventId: 7, kind: 'proposal', recipient: 'bob@example.test', messageId: '<calndro.out.9@c.test>', attempts: 0, createdAt: new Date('2031-03-01T10:00:00Z'),
    payload: JSON.stringify({ ...input('proposal'), sealedToken: 'tok123', link: undefined, replyAddress: undefined }),
  };

  it('sends byte-identical mail when a row is retried', async () => {
    const { sent, envelopes, transport } = capture();
    expect((await deliverRow(row, cfg, transport)).ok).toBe(true);
    expect((await deliverRow({ ...row, attempts: 1 }, cfg, transport)).ok).toBe(true);
    expect(sent[0]!.equals(sent[1]!)).toBe(true);
    expect(sent[0]!.toString()).toContain('reply+tok123@c.test');
    expect(envelopes[0]).toEqual({ from: 'bot@c.test', to: ['bob@example.test'], messageId: '<calndro.out.9@c.test>' });
  });

  it('a row that cannot be composed fails for good; a transport error is temporary unless 5xx', async () => {
    const { transport } = capture();
    expect(await deliverRow({ ...row, payload: '{broken' }, cfg, transport)).toMatchObject({ ok: false, permanent: true });
    const failing = (code?: number) => ({ transporter: { send: (_m: Mail, done: (e: Error) => void) =>
      done(Object.assign(new Error(`${code ?? 'ECONNREFUSED'}`), { responseCode: code })) } }) as never;
    expect(await deliverRow(row, cfg, failing())).toMatchObject({ ok: false, permanent: false, scrubbed: expect.any(String) });
    expect(await deliverRow(row, cfg, failing(451))).toMatchObject({ ok: false, permanent: false });
    expect(await deliverRow(row, cfg, failing(550))).toMatchObject({ ok: false, permanent: true });
  });
});
