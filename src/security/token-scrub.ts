// Inbound mail is stored before it is processed (a crash after 250 OK loses nothing), and a
// reply quotes our mail: its reply+<token> address, ORGANIZER meet+<token> and ?et=<token>
// links. SPEC §1 keeps tokens only as hashes, so every token in a stored message is replaced
// by its stored form "h" + its lookup hash (the key of event_tokens): not reversible, and
// still enough to identify the sender when the stored copy is processed after a restart.
// Quoted-printable bodies are matched across soft line breaks, base64 parts are decoded,
// rewritten and encoded again; everything else in the message keeps its bytes.
import { tokenHash } from './tokens.js';

/** The stored form of a token: "h" + 64 hex. Never matches the token pattern again (idempotent). */
export const STORED_TOKEN = /^h([0-9a-f]{64})$/;
export const storedToken = (token: string): string => `h${tokenHash(token)}`;

// A quoted-printable soft line break, or a folded header/ICS line, may fall inside a token.
const GAP = '(?:=\\r?\\n|\\r?\\n[ \\t])?';
const HEX40 = Array.from({ length: 40 }, () => '[0-9a-f]').join(GAP);
// reply+ / meet+ local parts; et= query values, also quoted-printable (=3D) and URL-encoded
// (%3D, %253D: links rewritten by Outlook Safe Links and other redirectors).
// Inside an encoded URL, "et" follows an encoded ? or & (%3F, %26, twice encoded %253F, %2526).
const ET_START = '(?:\\b|(?<=%3F|%26|%253F|%2526))et';
const TOKEN_IN_TEXT = new RegExp(`(\\b(?:reply|meet)\\+|${ET_START}(?:=3D|%3D|%253D|=))${GAP}(${HEX40})(?![0-9a-f])`, 'gi');
const MAX_DEPTH = 40;

function scrubText(text: string): string {
  return text.replace(TOKEN_IN_TEXT, (_all, prefix: string, token: string) => `${prefix}${storedToken(token.replace(/[=\s]/g, ''))}`);
}

function scrubBase64(body: string): string {
  const decoded = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  const scrubbed = scrubText(decoded);
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
  let scrubbed: string;
  if (encoding === 'base64') scrubbed = scrubBase64(body);
  else if (type.startsWith('multipart/') && boundary) scrubbed = scrubMultipart(body, (boundary[1] ?? boundary[2])!, depth);
  else if (type === 'message/rfc822' || type === 'message/global') scrubbed = scrubEntity(body, depth + 1);
  else scrubbed = scrubText(body);
  return scrubText(head) + split[0] + scrubbed;
}

/** The message as it may be stored: every event token replaced by its stored form. */
export function scrubTokens(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const scrubbed = scrubEntity(text, 0);
  return scrubbed === text ? raw : Buffer.from(scrubbed, 'latin1');
}

/** Envelope addresses and headers: the same replacement on plain text. */
export function scrubTokensInText(text: string): string {
  return scrubText(text);
}
