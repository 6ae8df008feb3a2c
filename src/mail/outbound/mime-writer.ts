// The MIME layouts calndro sends, written directly: multipart/alternative (text + HTML),
// optionally inside multipart/mixed with the PUBLISH calendar attached, or with nodemailer's
// icalEvent layout (text/calendar alternative + application/ics attachment). Header values go
// through nodemailer's own encoder and the parts follow MailComposer's rules, so the bytes are
// the same as MailComposer's (test/unit/serialize-mime.test.ts compares them); building the
// MimeNode tree for every mail cost more than writing it (bench:outbound profile: tree set-up,
// header normalization, per-node random bytes). Anything outside these layouts returns null
// and goes to MailComposer (serialize-mime.ts).
import type { Options } from 'nodemailer/lib/mailer';
import MimeNode from 'nodemailer/lib/mime-node/index.js';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs/index.js';
import * as qp from 'nodemailer/lib/qp/index.js';
import * as base64 from 'nodemailer/lib/base64/index.js';

/** Reused for header values only: its encoding rules are those of the messages we send. */
const headerEncoder = new MimeNode(false, { textEncoding: 'Q', baseBoundary: 'unused' }) as MimeNode & {
  encodeHeaderValue(key: string, value: unknown): string;
};

const SUPPORTED = new Set(['from', 'to', 'replyTo', 'subject', 'text', 'html', 'textEncoding', 'messageId', 'references',
  'inReplyTo', 'date', 'headers', 'attachments', 'icalEvent']);
const SAFE_TOKEN = /^[A-Za-z0-9._-]+$/;
const SIMPLE_CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]+(; [a-z-]+=[A-Za-z0-9.-]+)*$/;
const CUSTOM_HEADER = /^(?:X-[A-Z][a-z]*(?:-[A-Z][a-z]*)*|Auto-Submitted)$/;

interface Address { name: string; address: string }

const line = (key: string, value: unknown): string | null => {
  const encoded = headerEncoder.encodeHeaderValue(key, value);
  return encoded.trim() ? mimeFuncs.foldLines(`${key}: ${encoded}`, 76) : null;
};

/** A header as MimeNode writes it: folded at 76 (long boundaries fold Content-Type). */
const field = (key: string, value: string): string => mimeFuncs.foldLines(`${key}: ${value}`, 76);

/** A part: its header fields, a blank line, its content. */
const part = (fields: string[], content: string): string => `${fields.join('\r\n')}\r\n\r\n${content}`;

/** Larger content is encoded in slices by nodemailer's stream encoder: left to the tree walk. */
const QP_SLICE = 64 * 1024;

/**
 * Quoted-printable as nodemailer's stream encoder makes it from one chunk: trailing blanks are
 * held back and encoded after the rest, onto the last line (which wrap() then may not break).
 */
function quotedPrintable(content: Buffer): string {
  let end = content.length;
  while (end > 0 && (content[end - 1] === 0x20 || content[end - 1] === 0x09)) end--;
  const first = qp.wrap(qp.encode(content.subarray(0, end)), 76);
  if (end === content.length) return first;
  const lastLine = first.lastIndexOf('\n') + 1;
  return first.slice(0, lastLine) + qp.wrap(first.slice(lastLine) + qp.encode(content.subarray(end)), 76);
}

/** MimeNode's choice for text content given as a string (textEncoding Q). */
function textPart(contentType: string, content: string): string {
  if (mimeFuncs.isPlainText(content) && !mimeFuncs.hasLongerLines(content, 76)) {
    return part([field('Content-Type', contentType), field('Content-Transfer-Encoding', '7bit')], content);
  }
  return part([field('Content-Type', contentType), field('Content-Transfer-Encoding', 'quoted-printable')], quotedPrintable(Buffer.from(content, 'utf8')));
}

const base64Body = (content: string): string => base64.wrap(base64.encode(content), 76);

function multipart(boundary: string, parts: string[]): string {
  return parts.map((p, i) => `${i > 0 ? '\r\n' : ''}--${boundary}\r\n${p}`).join('') + `\r\n--${boundary}--\r\n`;
}

/** A bare address as nodemailer puts it in the envelope (the transport deals with IDN). */
function envelopeAddress(address: string): string | null {
  return /[\s<>,;"]/.test(address) || address.lastIndexOf('@') < 1 ? null : address;
}

/** Finished message bytes and envelope for the supported layouts; null for anything else. */
export function writeMime(options: Options, baseBoundary: string): { raw: Buffer; envelope: { from: string; to: string[] } } | null {
  if (Object.keys(options).some((k) => !SUPPORTED.has(k))) return null;
  const { from, to, replyTo, subject, text, html, messageId, references, inReplyTo, date, headers, attachments, icalEvent } = options;
  if (options.textEncoding !== 'quoted-printable' || typeof text !== 'string' || typeof html !== 'string' || !text || !html) return null;
  if (Buffer.byteLength(text) > QP_SLICE || Buffer.byteLength(html) > QP_SLICE) return null;
  if (typeof to !== 'string' || typeof subject !== 'string' || typeof messageId !== 'string' || !(date instanceof Date)) return null;
  if (!from || typeof from !== 'object' || Array.isArray(from)) return null;
  const envelope = { from: envelopeAddress((from as Address).address), to: [envelopeAddress(to)] };
  if (!envelope.from || !envelope.to[0]) return null;
  if (replyTo !== undefined && typeof replyTo !== 'string') return null;
  if (inReplyTo !== undefined && typeof inReplyTo !== 'string') return null;
  if (references !== undefined && !Array.isArray(references)) return null;
  const custom = Object.entries(headers ?? {});
  if (custom.some(([k, v]) => !CUSTOM_HEADER.test(k) || typeof v !== 'string')) return null;

  let attachment: { filename: string; content: string; contentType: string } | null = null;
  if (attachments !== undefined) {
    const [a, ...rest] = attachments;
    if (!a || rest.length || Object.keys(a).some((k) => !['filename', 'content', 'contentType'].includes(k))) return null;
    if (typeof a.filename !== 'string' || !SAFE_TOKEN.test(a.filename) || typeof a.content !== 'string' || !a.content) return null;
    if (typeof a.contentType !== 'string' || !SIMPLE_CONTENT_TYPE.test(a.contentType)) return null;
    attachment = { filename: a.filename, content: a.content, contentType: a.contentType };
  }
  let ical: { method: string; filename: string; content: string } | null = null;
  if (icalEvent !== undefined) {
    const { method, filename, content } = icalEvent as { method?: unknown; filename?: unknown; content?: unknown };
    if (Object.keys(icalEvent).some((k) => !['method', 'filename', 'content'].includes(k))) return null;
    if (typeof method !== 'string' || !/^[A-Z]+$/.test(method) || typeof filename !== 'string' || !SAFE_TOKEN.test(filename)) return null;
    if (typeof content !== 'string' || !content || Buffer.byteLength(content) > QP_SLICE) return null;
    ical = { method, filename, content };
  }
  if (attachment && ical) return null;

  // MailComposer's node numbering: the root is Part_1, the alternative inside a mixed Part_2.
  const prefix = `--_NmP-${baseBoundary}-Part_`;
  const alternatives = [textPart('text/plain; charset=utf-8', text), textPart('text/html; charset=utf-8', html)];
  if (ical) alternatives.push(textPart(`text/calendar; charset=utf-8; method=${ical.method}`, ical.content));
  const mixed = attachment || ical;
  const altBoundary = `${prefix}${mixed ? 2 : 1}`;
  let contentType: string;
  let body: string;
  if (!mixed) {
    contentType = `multipart/alternative; boundary="${altBoundary}"`;
    body = multipart(altBoundary, alternatives);
  } else {
    const attached = attachment
      ? part([field('Content-Type', `${attachment.contentType}; name=${attachment.filename}`), field('Content-Transfer-Encoding', 'base64'),
        field('Content-Disposition', `attachment; filename=${attachment.filename}`)], base64Body(attachment.content))
      : part([field('Content-Type', `application/ics; name=${ical!.filename}`), field('Content-Disposition', `attachment; filename=${ical!.filename}`),
        field('Content-Transfer-Encoding', 'base64')], base64Body(ical!.content));
    const mixedBoundary = `${prefix}1`;
    contentType = `multipart/mixed; boundary="${mixedBoundary}"`;
    const alternative = part([field('Content-Type', `multipart/alternative; boundary="${altBoundary}"`)], multipart(altBoundary, alternatives));
    body = multipart(mixedBoundary, [alternative, attached]);
  }

  // Root headers in MailComposer's order: custom ones, then the standard ones, Content-Type last.
  const head = [
    ...custom.map(([k, v]) => line(k, v)),
    line('From', from as Address),
    line('To', to),
    replyTo ? line('Reply-To', replyTo) : null,
    inReplyTo ? line('In-Reply-To', inReplyTo) : null,
    references?.length ? line('References', references) : null,
    line('Subject', subject),
    line('Message-ID', messageId),
    line('Date', date),
    'MIME-Version: 1.0',
    field('Content-Type', contentType),
  ].filter((l): l is string => l !== null);
  return { raw: Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`, 'utf8'), envelope: envelope as { from: string; to: string[] } };
}
