// The MIME that delivery sends (serializeMessage: nodemailer's MailComposer with a keyed
// boundary): byte-identical when a row is retried, and every kind of mail parses back through
// mailparser as it was meant.
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildMessage, messageIdFor } from '../../src/mail/outbound/build-message.js';
import { compose } from '../../src/mail/outbound/compose.js';
import type { MailKind, RenderInput } from '../../src/mail/outbound/payload.js';
import { boundaryFor, serializeMessage } from '../../src/mail/outbound/serialize-mime.js';
import { input, outboxRow } from './outbound-fixture.js';

const BOUNDARY = boundaryFor('test-key', '<calndro.out.42@example.test>');
const THREAD = ['<calndro.event.7@example.test>'];
const ids = { messageId: messageIdFor(42, 'example.test'), references: THREAD };
const KINDS: MailKind[] = ['proposal', 'confirmation', 'cancellation', 'ack', 'help'];

const bytes = (data: RenderInput, more: Partial<typeof ids> & { inReplyTo?: string } = {}) =>
  serializeMessage(buildMessage(data, { ...ids, ...more }), BOUNDARY);

async function parsed(data: RenderInput, more: { inReplyTo?: string } = {}): Promise<{ raw: string; mail: ParsedMail }> {
  const raw = (await bytes(data, more)).toString('utf8');
  return { raw, mail: await simpleParser(raw) };
}

const method = (part: ParsedMail['attachments'][number] | undefined) =>
  (part?.headers.get('content-type') as { params: Record<string, string> } | undefined)?.params.method;

afterEach(() => {
  vi.useRealTimers();
});

describe('serializeMessage: a retried row is byte-identical', () => {
  it.each(KINDS)('%s mail: same bytes on a retry a day later, nothing random in them', async (kind) => {
    const data = input(kind, { details: { subject: 'Lunch?', inReplyTo: '<human.1@mail.example>' } });
    const first = await bytes(data);
    // The retry happens later: the wall clock must not reach the bytes (Date comes from the row).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-03-02T18:30:00Z'));
    const retry = await bytes(data);
    expect(retry.equals(first)).toBe(true);
    const raw = first.toString('utf8');
    expect(raw).toContain(`--_NmP-${BOUNDARY}-Part_`);
    expect(raw).toMatch(/\r\nMessage-ID: <calndro\.out\.42@example\.test>\r\n/);
    expect(raw).toMatch(/\r\nDate: Sat, 01 Mar 2031 10:00:00 \+0000\r\n/);
  });

  it('from the outbox row, as delivery composes it', async () => {
    const cfg = { publicUrl: 'https://c.test', mailDomain: 'c.test', mailFrom: 'bot@c.test', mailFromName: 'calndro', openSealed: (s: string) => s };
    const row = outboxRow(9, '<calndro.out.9@c.test>', 'tok123');
    const build = () => serializeMessage(compose(row, cfg).message, boundaryFor('key', row.messageId));
    const first = await build();
    expect((await build()).equals(first)).toBe(true);
    expect((await build()).equals(await serializeMessage(compose(row, cfg).message, boundaryFor('other-key', row.messageId)))).toBe(false);
  });
});

describe('serializeMessage: every kind parses through mailparser', () => {
  it('proposal: text + HTML, invite.ics with METHOD:PUBLISH, thread headers', async () => {
    const { raw, mail } = await parsed(input('proposal'));
    expect(raw).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(mail.from?.value).toEqual([{ name: 'Alice via calndro', address: 'calndro@example.test' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'bob@example.test' }] });
    expect(mail.replyTo?.value).toEqual([{ name: '', address: 'reply+0123abcd@example.test' }]);
    expect(mail.subject).toBe('[calndro] Quarterly review: pick your slots');
    expect(mail.messageId).toBe('<calndro.out.42@example.test>');
    expect(mail.references).toBe(THREAD[0]);
    expect(mail.date?.toISOString()).toBe('2031-03-01T10:00:00.000Z');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain('1. Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    expect(mail.html).toContain('<strong>1.</strong> Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    const [ics, ...rest] = mail.attachments;
    expect(rest).toEqual([]);
    expect(ics).toMatchObject({ filename: 'invite.ics', contentType: 'text/calendar', contentDisposition: 'attachment' });
    expect(method(ics)).toBe('PUBLISH');
    expect(ics!.content.toString('utf8').match(/BEGIN:VEVENT/g)).toHaveLength(3);
  });

  it('confirmation: a text/calendar; method=REQUEST alternative and an invite.ics attachment', async () => {
    const { raw, mail } = await parsed(input('confirmation'));
    expect(raw).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST\r?$/m);
    expect(mail.text).toContain('is confirmed');
    const calendar = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(method(calendar)).toBe('REQUEST');
    expect(calendar!.content.toString('utf8')).toContain('\r\nMETHOD:REQUEST\r\n');
    const file = mail.attachments.find((a) => a.contentType === 'application/ics');
    expect(file).toMatchObject({ filename: 'invite.ics', contentDisposition: 'attachment' });
    expect(file!.content.toString('utf8')).toBe(calendar!.content.toString('utf8'));
    expect(file!.content.toString('utf8')).toContain('UID:calndro-7@example.test');
  });

  it('cancellation: method=CANCEL when an invite went out, no calendar otherwise', async () => {
    const { mail } = await parsed(input('cancellation', { sequence: 2 }));
    const calendar = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(method(calendar)).toBe('CANCEL');
    expect(calendar!.content.toString('utf8')).toContain('\r\nSEQUENCE:2\r\n');
    const open = await parsed(input('cancellation', { confirmedSlot: undefined }));
    expect(open.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(open.mail.attachments).toEqual([]);
    expect(open.mail.text).toBeTruthy();
  });

  it.each(['ack', 'help'] as const)('%s: auto-replied, threaded to the answered mail, no attachments', async (kind) => {
    const { raw, mail } = await parsed(input(kind, { details: { subject: 'Lunch?' } }), { inReplyTo: '<human.1@mail.example>' });
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(mail.subject).toBe('Re: Lunch?');
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.inReplyTo).toBe('<human.1@mail.example>');
    expect(mail.references).toEqual([...THREAD, '<human.1@mail.example>']);
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toBeTruthy();
    expect(mail.html).toBeTruthy();
  });

  it('non-ASCII names, titles and addresses come back as written', async () => {
    const title = 'Réunion trimestrielle — 会議 «Q&A» with a title long enough to fold the Subject header over two lines';
    const senderName = 'Zoë "the boss" Ångström';
    const { raw, mail } = await parsed(input('confirmation', { title, senderName, parties: ['zoë@bücher.example', 'bob@example.test'] }));
    // Header values are encoded words; bodies are quoted-printable UTF-8: the message is 7-bit.
    expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
    expect(raw.split('\r\n').every((l) => l.length <= 998)).toBe(true);
    expect(mail.subject).toContain(title);
    expect(mail.from?.value).toEqual([{ name: `${senderName} via calndro`, address: 'calndro@example.test' }]);
    expect(mail.text).toContain(title);
    expect(mail.html).toContain('Réunion trimestrielle — 会議');
    const calendar = mail.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8');
    expect(calendar.replace(/\r\n[ \t]/g, '')).toContain('SUMMARY:Réunion trimestrielle — 会議');
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
