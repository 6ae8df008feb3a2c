// Inbound mail is stored before it is processed (a crash after 250 OK loses nothing), and a
// reply quotes our mail: its reply+<token> address, ORGANIZER meet+<token> and ?et=<token>
// links. SPEC §1 keeps tokens only as hashes, so every token in a stored message is replaced
// by its stored form "h" + its lookup hash (the key of event_tokens): not reversible, and
// still enough to identify the sender when the stored copy is processed after a restart.
// Quoted-printable bodies are matched across soft line breaks, base64 parts are decoded,
// rewritten and encoded again; everything else in the message keeps its bytes.
// The stored form identifies the party, so it is honoured only where this scrubber wrote it:
// a stored form that arrives from outside (its hash is in event_tokens, in every stored message,
// in a backup) is first neutralised to "x" + 64 hex, which identifies nobody, in the same places
// and encodings; and a recipient that mail parsing reads out of an encoding the scrubber never
// sees (an encoded word, a quoted pair) is honoured only if its stored form is written literally
// in the stored header block (storedFormsIn, distrustStoredForms: read-mail.ts).
import { tokenHash } from './tokens.js';

/** The stored form of a token: "h" + 64 hex. Never matches the token pattern again. */
export const STORED_TOKEN = /^h([0-9a-f]{64})$/;
/** A stored form that came from outside, neutralised: identifies nobody (address.ts, identify.ts). */
export const FOREIGN_STORED_TOKEN = /^x[0-9a-f]{64}$/;
export const storedToken = (token: string): string => `h${tokenHash(token)}`;

// A quoted-printable soft line break, or a folded header/ICS line, may fall inside a token.
const GAP = '(?:=\\r?\\n|\\r?\\n[ \\t])?';
const hexRun = (n: number) => Array.from({ length: n }, () => '[0-9a-f]').join(GAP);
const HEX40 = hexRun(40);
// reply+ / meet+ local parts; et= query values, also quoted-printable (=3D) and URL-encoded
// (%3D, %253D: links rewritten by Outlook Safe Links and other redirectors).
// Inside an encoded URL, "et" follows an encoded ? or & (%3F, %26, twice encoded %253F, %2526).
const ET_START = '(?:\\b|(?<=%3F|%26|%253F|%2526))et';
const PREFIX = `\\b(?:reply|meet)\\+|${ET_START}(?:=3D|%3D|%253D|=)`;
// One pass: a token becomes its stored form; a stored form already there (any case, also split
// by a soft line break or a fold) has its "h" turned into "x". Replacements are not scanned again.
const IN_TEXT = new RegExp(`(${PREFIX})(${GAP})(?:h(?=${GAP}${hexRun(64)})|(${HEX40})(?![0-9a-f]))`, 'gi');
// What scrubText writes into a recipient address: contiguous, lowercase, after the same boundary.
const WRITTEN_ADDRESS = /\b(?:reply|meet)\+(h[0-9a-f]{64})/gi;
const STORED_IN_ADDRESS = /((?:reply|meet)\+)h([0-9a-f]{64})/gi;
const MAX_DEPTH = 40;

function scrubText(text: string): string {
  return text.replace(IN_TEXT, (_all, prefix: string, gap: string, token: string | undefined) =>
    (token === undefined ? `${prefix}${gap}x` : `${prefix}${storedToken(token.replace(/[=\s]/g, ''))}`));
}

/** A base64 body; a message/rfc822 one is scrubbed as the message it holds (its parts may be base64 again). */
function scrubBase64(body: string, depth: number, message: boolean): string {
  const decoded = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  const scrubbed = message ? scrubEntity(decoded, depth + 1) : scrubText(decoded);
  if (scrubbed === decoded) return body;
  const lines = Buffer.from(scrubbed, 'latin1').toString('base64').match(/.{1,76}/g) ?? [];
  return `${lines.join('\r\n')}\r\n`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function scrubMultipart(body: string, boundary: string, depth: number): string {
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRe(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  let out = '';
  let last = 0;
  let inPart = false;
  for (let m = delimiter.exec(body); m; m = delimiter.exec(body)) {
    const segment = body.slice(last, m.index);
    out += inPart ? scrubPart(segment, depth) : scrubText(segment);
    out += m[0];
    last = m.index + m[0].length;
    inPart = !m[1];
    if (m[1]) break;
  }
  const rest = body.slice(last);
  return out + (inPart ? scrubPart(rest, depth) : scrubText(rest));
}

/** A body part after its delimiter line: the line break, then headers and body. */
function scrubPart(segment: string, depth: number): string {
  const lead = /^\r?\n/.exec(segment)?.[0] ?? '';
  return lead + scrubEntity(segment.slice(lead.length), depth + 1);
}

function scrubEntity(entity: string, depth: number): string {
  const split = /\r?\n\r?\n/.exec(entity);
  if (!split || depth > MAX_DEPTH) return scrubText(entity);
  const head = entity.slice(0, split.index);
  const body = entity.slice(split.index + split[0].length);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const contentType = /^content-type:[ \t]*([^;\r\n]*)(.*)$/im.exec(headers);
  const type = contentType?.[1]?.trim().toLowerCase() ?? 'text/plain';
  const boundary = /boundary[ \t]*=[ \t]*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType?.[2] ?? '');
  const encoding = /^content-transfer-encoding:[ \t]*([^\s;]+)/im.exec(headers)?.[1]?.toLowerCase();
  const message = type === 'message/rfc822' || type === 'message/global';
  let scrubbed: string;
  if (encoding === 'base64') scrubbed = scrubBase64(body, depth, message);
  else if (type.startsWith('multipart/') && boundary) scrubbed = scrubMultipart(body, (boundary[1] ?? boundary[2])!, depth);
  else if (message) scrubbed = scrubEntity(body, depth + 1);
  else scrubbed = scrubText(body);
  return scrubText(head) + split[0] + scrubbed;
}

/**
 * The message as it may be stored: every stored form already in it neutralised, then every
 * event token replaced by its stored form. Not idempotent on purpose: run once, on arrival.
 */
export function scrubTokens(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const scrubbed = scrubEntity(text, 0);
  return scrubbed === text ? raw : Buffer.from(scrubbed, 'latin1');
}

/** Envelope addresses and headers: the same replacement on plain text. */
export function scrubTokensInText(text: string): string {
  return scrubText(text);
}

/** The header block of a stored message, split where scrubTokens splits it (the first \r?\n\r?\n); only it is decoded. */
export function headerBlockOf(raw: Buffer): string {
  for (let lf = raw.indexOf(10); lf !== -1; lf = raw.indexOf(10, lf + 1)) {
    if (raw[lf + 1] === 10 || (raw[lf + 1] === 13 && raw[lf + 2] === 10)) return raw.toString('latin1', 0, lf > 0 && raw[lf - 1] === 13 ? lf - 1 : lf);
  }
  return raw.toString('latin1');
}

/** The stored forms written in a stored header block: scrubTokens wrote each (it neutralised any that arrived). */
export function storedFormsIn(headerBlock: string): Set<string> {
  return new Set(Array.from(headerBlock.matchAll(WRITTEN_ADDRESS), (m) => m[1]!).filter((form) => form === form.toLowerCase()));
}

/**
 * A recipient read from a stored message's headers, with every stored form that `written` does
 * not hold neutralised: mail parsing decodes encoded words and quoted pairs the scrubber does
 * not, so a stored form read that way came from the sender, not from us.
 */
export function distrustStoredForms(address: string, written: ReadonlySet<string>): string {
  return address.replace(STORED_IN_ADDRESS, (all, prefix: string, hex: string) => (written.has(`h${hex}`) ? all : `${prefix}x${hex}`));
}

/** Whether a recipient holds a stored form at all (the common mail does not: nothing more to check). */
export const hasStoredForm = (address: string): boolean => /(?:reply|meet)\+h[0-9a-f]{64}/i.test(address);
