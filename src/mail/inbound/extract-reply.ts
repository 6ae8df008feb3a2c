// The new text of a reply, without quoted history or signature (SPEC §5, MAIL-NOTES §1 recipe):
//  1. HTML, when it has a marker we recognize (ours or a client's quote/signature container):
//     cut there and convert to text. Markup beats guessing from text, in every language.
//  2. Otherwise the text part (mailparser derives one from HTML-only mail).
//  3. On that text: cut at our own marker line, then our text rules (text-quotes.ts), then
//     email-reply-parser for the quote headers and signatures it knows in more languages.
// What is removed is returned as `elided`, never thrown away (Discourse keeps it too).
import EmailReplyParser from 'email-reply-parser';
import { REPLY_MARKER_TEXT } from '../reply-marker.js';
import { stripHtmlQuotes } from './html-quotes.js';
import { nodesToText } from './html-text.js';
import { stripTextQuotes } from './text-quotes.js';

export interface ExtractedReply {
  /** New text only, trimmed; '' when nothing is left. */
  reply: string;
  /** Removed quotes and signatures as text, for the log. */
  elided: string;
}

// The answer is in the first lines; the cap keeps regex work bounded on huge or hostile mail.
const MAX_TEXT = 100_000;
const MAX_HTML = 500_000;
const MAX_LINES = 2_000;

const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const MARKER = squash(REPLY_MARKER_TEXT);

/**
 * Cuts at the first line carrying our marker, tolerant of changed spacing. Only an unquoted
 * marker (Outlook style) starts the history; a "> " quoted one is left to the quote rules, which
 * keep a bottom-posted answer below the quote and see the attribution line above it intact.
 */
function cutAtMarker(text: string): { before: string; after: string } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => squash(l).includes(MARKER));
  if (at < 0 || /^\s*>/.test(lines[at]!)) return { before: text, after: '' };
  return { before: lines.slice(0, at).join('\n'), after: lines.slice(at).join('\n') };
}

// email-reply-parser's header regexes are superlinear on long lines; after our rules a real
// reply is a few lines, so beyond these sizes it is skipped rather than risked.
const ERP_MAX_CHARS = 5_000;
const ERP_MAX_LINE = 500;

function visibleText(text: string, elided: string[]): string {
  if (text.trim() === '') return '';
  if (text.length > ERP_MAX_CHARS || text.split('\n').some((l) => l.length > ERP_MAX_LINE)) return text.trim();
  const fragments = new EmailReplyParser().read(text).getFragments();
  const visible = fragments.filter((f) => !f.isHidden()).map((f) => f.getContent()).join('\n').trim();
  // Our rules ran first; if the library hides everything that is left it is a false positive
  // (e.g. a one-line answer it takes for a signature), so keep our result.
  if (visible === '') return text.trim();
  elided.push(...fragments.filter((f) => f.isHidden()).map((f) => f.getContent()));
  return visible;
}

function fromText(raw: string, elided: string[]): string {
  const text = raw.replace(/\r\n?/g, '\n').split('\n').slice(0, MAX_LINES).join('\n');
  const { before, after } = cutAtMarker(text);
  const cut = stripTextQuotes(before);
  elided.push(...cut.elided);
  const reply = visibleText(cut.reply, elided).replace(/\n{3,}/g, '\n\n');
  elided.push(after);
  return reply;
}

/** Never throws: on any failure the reply is '' (the grammar then answers "unparseable"). */
export function extractReply(input: { text?: string | null; html?: string | null }): ExtractedReply {
  const elided: string[] = [];
  try {
    const text = typeof input?.text === 'string' ? input.text.slice(0, MAX_TEXT) : '';
    const html = typeof input?.html === 'string' ? input.html.slice(0, MAX_HTML) : '';
    let source = text;
    if (html.trim() !== '') {
      const cut = stripHtmlQuotes(html);
      if (cut.found.length > 0 || text.trim() === '') {
        source = nodesToText(cut.kept);
        elided.push(...cut.removed.map(nodesToText));
      }
    }
    const reply = fromText(source, elided);
    return { reply, elided: elided.map((e) => e.trim()).filter(Boolean).join('\n\n') };
  } catch {
    return { reply: '', elided: elided.join('\n\n') };
  }
}
