import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Options } from 'nodemailer/lib/mailer';
import { describe, expect, it } from 'vitest';
import { buildMessage, messageIdFor } from '../../src/mail/outbound/build-message.js';
import type { MailKind } from '../../src/mail/outbound/payload.js';
import { boundaryFor, serializeMessage } from '../../src/mail/outbound/serialize-mime.js';
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
