import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { buildMessage, messageIdFor } from '../../src/mail/outbound/build-message.js';
import type { RenderInput } from '../../src/mail/outbound/payload.js';
import { REPLY_MARKER_HTML_ID, REPLY_MARKER_TEXT } from '../../src/mail/reply-marker.js';
import { input } from './outbound-fixture.js';

const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
const THREAD = ['<calndro.out.1@example.test>', '<calndro.out.2@example.test>'];

/** Through the real MIME composer and back through a real parser. */
async function roundTrip(
  data: RenderInput,
  ids: Parameters<typeof buildMessage>[1] = { messageId: messageIdFor(42, 'example.test'), references: THREAD },
): Promise<{ raw: string; mail: ParsedMail }> {
  const info = await transport.sendMail(buildMessage(data, ids));
  const raw = (info.message as Buffer).toString('utf8');
  return { raw, mail: await simpleParser(raw) };
}

const header = (mail: ParsedMail, name: string): unknown => mail.headers.get(name);
const calendarParts = (mail: ParsedMail) => mail.attachments.filter((a) => a.contentType === 'text/calendar');

describe('messageIdFor', () => {
  it('is stable per outbox row and under the mail domain', () => {
    expect(messageIdFor(42, 'example.test')).toBe('<calndro.out.42@example.test>');
    expect(messageIdFor('42', 'example.test')).toBe(messageIdFor(42, 'example.test'));
    expect(messageIdFor('c1x-9', 'example.test')).toBe('<calndro.out.c1x-9@example.test>');
  });

  it('rejects ids that would break the header', () => {
    expect(() => messageIdFor('4 2>', 'example.test')).toThrow(TypeError);
    expect(() => messageIdFor(1, 'exa mple>')).toThrow(TypeError);
  });
});

describe('buildMessage: headers', () => {
  it('sets From, To, Reply-To, Message-ID, References and the loop-prevention headers', async () => {
    const { mail } = await roundTrip(input('proposal'));
    expect(mail.from?.value).toEqual([{ name: 'Alice via calndro', address: 'calndro@example.test' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'bob@example.test' }] });
    expect(mail.replyTo?.value).toEqual([{ name: '', address: 'reply+0123abcd@example.test' }]);
    expect(mail.messageId).toBe('<calndro.out.42@example.test>');
    expect(mail.references).toEqual(THREAD);
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.subject).toBe('[calndro] Quarterly review: pick your slots');
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
    expect(header(mail, 'x-auto-response-suppress')).toBe('All');
    expect(header(mail, 'x-calndro-event')).toBe('7');
    expect(mail.date?.toISOString()).toBe('2031-03-01T10:00:00.000Z');
  });

  it('uses the bot name alone when there is no sender', async () => {
    const { mail } = await roundTrip(input('proposal', { senderName: null }));
    expect(mail.from?.value).toEqual([{ name: 'calndro', address: 'calndro@example.test' }]);
  });

  it('marks ack/help as auto-replied and threads them to the answered mail', async () => {
    for (const kind of ['ack', 'help'] as const) {
      const { mail } = await roundTrip(input(kind, { details: { subject: 'Lunch?' } }), {
        messageId: messageIdFor(43, 'example.test'),
        references: THREAD,
        inReplyTo: '<human.1@mail.example>',
      });
      expect(header(mail, 'auto-submitted')).toBe('auto-replied');
      expect(mail.subject).toBe('Re: Lunch?');
      expect(mail.inReplyTo).toBe('<human.1@mail.example>');
      expect(mail.references).toEqual([...THREAD, '<human.1@mail.example>']);
      expect(mail.attachments).toHaveLength(0);
    }
  });

  it('falls back to details.inReplyTo and does not repeat it in References', async () => {
    const { mail } = await roundTrip(input('ack', { details: { inReplyTo: '<calndro.out.2@example.test>' } }));
    expect(mail.inReplyTo).toBe('<calndro.out.2@example.test>');
    expect(mail.references).toEqual(THREAD);
  });

  it('is a pure function of its input', () => {
    const ids = { messageId: messageIdFor(42, 'example.test'), references: THREAD };
    expect(buildMessage(input('confirmation'), ids)).toEqual(buildMessage(input('confirmation'), ids));
  });
});

describe('buildMessage: bodies', () => {
  it('has a text and an HTML part, both with the reply marker', async () => {
    const { mail } = await roundTrip(input('proposal'));
    expect(mail.text).toContain(REPLY_MARKER_TEXT);
    expect(mail.text).toContain('1. Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    expect(mail.html).toContain(`id="${REPLY_MARKER_HTML_ID}"`);
    expect(mail.html).toContain('<strong>1.</strong> Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
  });
});

describe('buildMessage: calendar parts', () => {
  it('proposal attaches invite.ics with METHOD:PUBLISH', async () => {
    const { mail } = await roundTrip(input('proposal'));
    const [ics, ...rest] = mail.attachments;
    expect(rest).toHaveLength(0);
    expect(ics?.filename).toBe('invite.ics');
    expect(ics?.contentType).toBe('text/calendar');
    expect(ics?.contentDisposition).toBe('attachment');
    expect((ics?.headers.get('content-type') as { params: Record<string, string> }).params.method).toBe('PUBLISH');
    const body = ics!.content.toString('utf8');
    expect(body).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(3);
  });

  it('proposal without slots carries no ICS', async () => {
    const { mail } = await roundTrip(input('proposal', { slots: [] }));
    expect(mail.attachments).toHaveLength(0);
  });

  it('confirmation has a text/calendar; method=REQUEST part and an invite.ics attachment', async () => {
    const { raw, mail } = await roundTrip(input('confirmation'));
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: text\/calendar;[^\r\n]*method=REQUEST/i);
    const [part] = calendarParts(mail);
    expect((part?.headers.get('content-type') as { params: Record<string, string> }).params.method).toBe('REQUEST');
    expect(part!.content.toString('utf8')).toContain('\r\nMETHOD:REQUEST\r\n');
    const file = mail.attachments.find((a) => a.filename === 'invite.ics' && a.contentType === 'application/ics');
    expect(file?.content.toString('utf8')).toContain('UID:calndro-7@example.test');
    expect(mail.text).toContain('is confirmed');
  });

  it('cancellation of a confirmed event has a method=CANCEL part', async () => {
    const { mail } = await roundTrip(input('cancellation', { sequence: 2 }));
    const [part] = calendarParts(mail);
    expect((part?.headers.get('content-type') as { params: Record<string, string> }).params.method).toBe('CANCEL');
    const body = part!.content.toString('utf8');
    expect(body).toContain('\r\nMETHOD:CANCEL\r\n');
    expect(body).toContain('\r\nSEQUENCE:2\r\n');
  });

  it('cancellation of an open event carries no ICS', async () => {
    const { mail } = await roundTrip(input('cancellation', { confirmedSlot: undefined }));
    expect(mail.attachments).toHaveLength(0);
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
  });
});
