// Decides whether an inbound mail may be answered at all (SPEC §5, MAIL-NOTES §3, RFC 3834):
// a bot that answers auto-replies, bounces or list traffic makes mail loops and backscatter.
// Order: bounce > auto-reply > list > human. Pure; never throws.
import type { ParsedMail } from 'mailparser';
import { readDsn } from './dsn.js';

export type Classification =
  | { kind: 'human' }
  | { kind: 'auto-reply'; reason: string }
  | { kind: 'bounce'; originalMessageId?: string; recipient?: string; status?: string; action?: string; permanent: boolean }
  | { kind: 'list'; reason: string };

/**
 * What classification needs. A caller with a mailparser ParsedMail uses classifyParsedMail;
 * anyone else fills this from raw headers.
 */
export interface InboundFacts {
  /** Top-level headers; names in any case; values as strings, string arrays or mailparser objects. */
  headers: Map<string, unknown> | Record<string, unknown>;
  /** From address; read from headers when absent. */
  from?: string;
  /** Envelope MAIL FROM: '' or '<>' is the null sender. null/undefined = unknown (IMAP). */
  mailFrom?: string | null;
  /** Top-level Content-Type with parameters; read from headers when absent. */
  contentType?: string;
  /** Read from headers when absent. */
  subject?: string;
  /** Raw text of the message/delivery-status part of a report (RFC 3464), if any. */
  deliveryStatus?: string;
  /** Headers (or the whole text) of the returned message: the message/rfc822 or text/rfc822-headers part. */
  returnedHeaders?: string;
}

// X-Auto-Response-Suppress is a request *not* to auto-reply, set by Outlook on ordinary mail; it
// says nothing about this mail (sisimai #491, Discourse), so the pattern must not match it.
const AUTO_HEADER = /^x-(?:mail-)?auto-?(?:reply|replied|respond|responder|response|generated|submitted)(?:-from)?$/;
const AUTO_SUBJECT =
  /^\s*(?:\[[^\]]*\]\s*)?(?:auto:|auto(?:matic|matische)?[- ]?(?:reply|antwort|response)|autoreply|out of (?:the )?office|abwesenheit(?:snotiz)?|réponse automatique|respuesta automática|resposta automática|risposta automatica|automatisch antwoord|autosvar|fuera de la oficina|absence du bureau)/i;
export const DAEMON_FROM = /^(?:mailer-daemon|postmaster)@/i;
export const NOREPLY_FROM = /^(?:no-?reply|do-?not-?reply)(?:[+.-][^@]*)?@/i;

function headerEntries(headers: InboundFacts['headers']): Array<[string, unknown]> {
  const entries = headers instanceof Map ? [...headers.entries()] : Object.entries(headers ?? {});
  return entries.map(([k, v]) => [String(k).toLowerCase(), v]);
}

/** A header value as text: strings, arrays, mailparser address and structured values. */
function asText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(asText).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const o = value as { text?: unknown; value?: unknown; params?: Record<string, string> };
    if (typeof o.text === 'string') return o.text;
    if (typeof o.value === 'string') {
      const params = Object.entries(o.params ?? {}).map(([k, v]) => `; ${k}=${v}`);
      return o.value + params.join('');
    }
  }
  return String(value);
}

/** soft: no machine-readable status, so hard and soft cannot be told apart; assume soft. */
function bounce(mail: InboundFacts, soft = false): Classification {
  // action kept: a "delayed" or "delivered" report is no bounce (RFC 3464 §2.3.3).
  const { permanent, ...facts } = readDsn(mail.deliveryStatus, mail.returnedHeaders);
  return { kind: 'bounce', ...facts, permanent: permanent && !soft };
}

const bare = (addr: string): string => (/<([^<>]*)>\s*$/.exec(addr)?.[1] ?? addr).trim().toLowerCase();

export function classifyInbound(mail: InboundFacts): Classification {
  try {
    const entries = headerEntries(mail.headers);
    const get = (name: string): string => asText(entries.find(([k]) => k === name)?.[1]).trim();
    const from = bare(mail.from ?? get('from'));
    const contentType = (mail.contentType ?? get('content-type')).toLowerCase();
    const subject = mail.subject ?? get('subject');
    const nullSender = mail.mailFrom != null && bare(mail.mailFrom) === '';
    const report = /^multipart\/report\b/.test(contentType);
    const reportType = /report-type\s*=\s*"?([\w-]+)/.exec(contentType)?.[1] ?? '';

    // Bounces: a DSN (RFC 3464/6522), or a non-standard one from a null sender or the daemon.
    if ((report && /delivery-status/.test(reportType)) || mail.deliveryStatus) {
      return bounce(mail);
    }
    if (report) return { kind: 'auto-reply', reason: `multipart/report (${reportType || 'unknown type'})` };

    const autoSubmitted = get('auto-submitted').split(/[;(\s]/)[0]!.toLowerCase();
    if (autoSubmitted && autoSubmitted !== 'no') return { kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
    for (const [name, value] of entries) {
      if (AUTO_HEADER.test(name) && asText(value).trim().toLowerCase() !== 'no') {
        return { kind: 'auto-reply', reason: `${name} header` };
      }
    }
    const precedence = get('precedence').toLowerCase();
    if (/^(?:junk|auto_reply)/.test(precedence)) return { kind: 'auto-reply', reason: `Precedence: ${precedence}` };

    if (nullSender || DAEMON_FROM.test(from)) return bounce(mail, true);
    if (AUTO_SUBJECT.test(subject)) return { kind: 'auto-reply', reason: `subject "${subject.slice(0, 60)}"` };
    if (NOREPLY_FROM.test(from)) return { kind: 'auto-reply', reason: `From ${from}` };

    // mailparser folds every List-* header into one "list" entry.
    const list = entries.find(([k]) => k.startsWith('list-') || k === 'list');
    if (list) return { kind: 'list', reason: list[0] === 'list' ? 'List-* headers' : `${list[0]} header` };
    if (/^(?:list|bulk)/.test(precedence)) return { kind: 'list', reason: `Precedence: ${precedence}` };
    return { kind: 'human' };
  } catch {
    // Unreadable input: refusing to answer is the safe side of a mail loop.
    return { kind: 'auto-reply', reason: 'unreadable headers' };
  }
}

const partText = (parsed: ParsedMail, types: string[]): string | undefined => {
  const part = parsed.attachments?.find((a) => types.includes(a.contentType?.toLowerCase()));
  return part ? part.content.toString('utf8') : undefined;
};

/**
 * Classifies a mailparser result. Parse with simpleParser(raw, { keepDeliveryStatus: true }):
 * otherwise mailparser folds the delivery-status part into `text` and the DSN fields are lost.
 * envelopeMailFrom: SMTP MAIL FROM ('' for <>), or null when unknown (IMAP), in which case the
 * Return-Path header written by the delivering MTA stands in for it.
 */
export function classifyParsedMail(parsed: ParsedMail, envelopeMailFrom: string | null): Classification {
  const returnPath = parsed.headers?.has('return-path') ? asText(parsed.headers.get('return-path')) : null;
  const deliveryStatus = partText(parsed, ['message/delivery-status', 'message/global-delivery-status']);
  const returnedHeaders = partText(parsed, ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
  return classifyInbound({
    headers: parsed.headers ?? new Map(),
    from: parsed.from?.value?.[0]?.address ?? '',
    mailFrom: envelopeMailFrom ?? returnPath,
    subject: parsed.subject ?? '',
    ...(deliveryStatus !== undefined ? { deliveryStatus } : {}),
    ...(returnedHeaders !== undefined ? { returnedHeaders } : {}),
  });
}
