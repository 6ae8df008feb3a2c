// The pure, CPU-heavy half of inbound processing (SPEC §5): raw bytes → parse → classify →
// extract, into the plain facts dispatch.ts acts on. Runs on a parse thread (mail-reader.ts),
// so the facts are plain data that structured cloning carries across; nothing here touches
// storage or the domain.
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { distrustStoredForms, hasStoredForm, headerBlockOf, storedFormsIn } from '../../security/token-scrub.js';
import { classifyParsedMail, type Classification } from './classify.js';
import { extractReply } from './extract-reply.js';
import { MAX_ICS_CHARS, parseImipCounter, parseImipReply, type ImipCounter, type ImipReply } from './imip.js';

export interface MailFacts {
  /** The From address as written ('' when none). */
  from: string;
  messageId: string | null;
  subject: string;
  /** The Date header as written (its offset is the sender's zone until one is known, SPEC §12); null when absent. */
  date: string | null;
  /** Addresses of the To and Cc headers, and a Delivered-To header: where there is no envelope (IMAP), they stand in for it. */
  to: string[];
  cc: string[];
  deliveredTo: string | null;
  /** Message-IDs named by In-Reply-To and References. */
  references: string[];
  kind: Classification;
  /** The iMIP REPLY in a text/calendar part, if it holds one. */
  rsvp: ImipReply | null;
  /** The iMIP COUNTER (a proposed new time) in a calendar part, if it holds one. */
  counter: ImipCounter | null;
  /** The new text of a reply from a person (kind human), without quotes and signature; null for other kinds. */
  reply: string | null;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

/**
 * The recipients as identify may trust them. A stored form ("h" + a token's hash) is ours only
 * where the scrubber wrote it, literally in the header block (token-scrub.ts); one read out of an
 * encoded word or a quoted pair was written by the sender and is neutralised. Only mail with a
 * stored form among its recipients (a reply to us, after scrubbing) reads its header block.
 */
function trustedRecipients(raw: Buffer, found: { to: string[]; cc: string[]; deliveredTo: string | null }) {
  const all = [...found.to, ...found.cc, ...(found.deliveredTo !== null ? [found.deliveredTo] : [])];
  if (!all.some(hasStoredForm)) return found;
  const written = storedFormsIn(headerBlockOf(raw));
  const trust = (address: string) => distrustStoredForms(address, written);
  return { to: found.to.map(trust), cc: found.cc.map(trust), deliveredTo: found.deliveredTo !== null ? trust(found.deliveredTo) : null };
}

/** The raw Date header: mailparser turns it into a Date and loses the offset it was written in. */
function dateHeader(parsed: ParsedMail): string | null {
  const line = parsed.headerLines?.find((h) => h.key === 'date')?.line;
  return line ? line.replace(/^date:\s*/i, '').replace(/\s+/g, ' ').trim() || null : null;
}

function referencedIds(parsed: ParsedMail): string[] {
  const refs = parsed.references ? (Array.isArray(parsed.references) ? parsed.references : [parsed.references]) : [];
  return [...new Set([parsed.inReplyTo ?? '', ...refs].flatMap((r) => r.match(/<[^<>\s]+>/g) ?? []))];
}

/**
 * Every calendar part: text/calendar, or application/ics with or without a method parameter
 * (Google sends that alone); the first four, each of at most MAX_ICS_CHARS bytes (a longer one is skipped).
 */
function calendarTexts(parsed: ParsedMail): string[] {
  return parsed.attachments.filter((a) => /^(text\/calendar|application\/ics)$/i.test(a.contentType)).slice(0, 4)
    .filter((a) => a.content.length <= MAX_ICS_CHARS).map((a) => a.content.toString('utf8'));
}

/** The first calendar part `read` accepts. */
function firstOf<T>(texts: string[], read: (ics: string) => T | null): T | null {
  for (const ics of texts) {
    const found = read(ics);
    if (found) return found;
  }
  return null;
}

async function parse(raw: Buffer): Promise<ParsedMail | null> {
  try {
    return await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000 });
  } catch {
    return null;
  }
}

/**
 * The facts of one message; null when it cannot be parsed at all. envelopeMailFrom: SMTP MAIL
 * FROM ('' for <>), or null when unknown (IMAP). Never throws for anything a sender can write.
 */
export async function readMail(raw: Uint8Array, envelopeMailFrom: string | null): Promise<MailFacts | null> {
  // A Buffer crosses to a thread as a plain Uint8Array: viewed as a Buffer again, not copied.
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const parsed = await parse(bytes);
  if (!parsed) return null;
  const kind = classifyParsedMail(parsed, envelopeMailFrom);
  const ics = calendarTexts(parsed);
  const delivered = parsed.headers.get('delivered-to');
  return {
    from: parsed.from?.value[0]?.address ?? '',
    messageId: parsed.messageId ?? null,
    subject: parsed.subject ?? '',
    date: dateHeader(parsed),
    ...trustedRecipients(bytes, { to: addresses(parsed.to), cc: addresses(parsed.cc), deliveredTo: typeof delivered === 'string' ? delivered : null }),
    references: referencedIds(parsed),
    kind,
    rsvp: firstOf(ics, parseImipReply),
    counter: firstOf(ics, parseImipCounter),
    reply: kind.kind === 'human' ? extractReply({ text: parsed.text ?? null, html: parsed.html || null }).reply : null,
  };
}
