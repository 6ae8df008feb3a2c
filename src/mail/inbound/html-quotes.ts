// Cuts quoted history and signatures out of a reply's HTML using the markup mail clients put
// there (the Discourse receiver's HTML_EXTRACTERS, MAIL-NOTES §1). Markup is more reliable than
// guessing from text: a client's own quote container is unambiguous, in any language.
import { REPLY_MARKER_HTML_ID } from '../reply-marker.js';
import { cleanHtml } from './html-text.js';

export interface HtmlCut {
  /** The HTML with quotes and signatures removed. */
  html: string;
  /** Removed pieces, in document order of removal. */
  removed: string[];
  /** Names of the markers that were found (empty: nothing recognized). */
  found: string[];
}

// Quoted copies get their ids/classes prefixed: Outlook web "x_", Gmail "gmail-" or "m_-123…".
const PREFIX = '(?:x_|gmail-|m_-?\\d+_?)?';
const startTag = (tags: string, attr: string, value: string): RegExp =>
  new RegExp(`<(${tags})(?=[\\s>/])[^>]{0,3000}?\\b${attr}\\s*=\\s*["']?(?:[^"'>]*\\s)?${PREFIX}${value}(?![\\w-])[^>]*>`, 'i');

/** Everything from these to the end is history (Outlook puts the quote after them, unnested). */
const REST: Array<[string, RegExp]> = [
  ['calndro marker', new RegExp(`<(\\w+)(?=[\\s>/])[^>]{0,3000}?\\b(?:id|class)\\s*=\\s*["']?[\\w-]*${REPLY_MARKER_HTML_ID}[^>]*>`, 'i')],
  ['outlook divRplyFwdMsg', startTag('div', 'id', 'divRplyFwdMsg')],
  ['outlook appendonsend', startTag('div', 'id', 'appendonsend')],
  ['exchange messageReplySection', startTag('div', 'name', 'messageReplySection')],
  ['thunderbird forward', startTag('div', 'class', 'moz-forward-container')],
];

/** These elements are removed with their content; what follows them stays (bottom/inline posting).
 * Each pattern is tested against one start tag of the names in ELEMENT_TAG. */
const ELEMENTS: Array<[string, RegExp]> = [
  ['gmail quote', startTag('div', 'class', 'gmail_quote')],
  ['gmail attribution', startTag('div', 'class', 'gmail_attr')],
  ['blockquote', /<(blockquote)(?=[\s>/])[^>]*>/i],
  ['thunderbird cite prefix', startTag('div', 'class', 'moz-cite-prefix')],
  ['yahoo quote', startTag('div', 'class', 'yahoo_quoted')],
  ['gmail signature', startTag('div|span', 'class', 'gmail_signature')],
  ['gmail signature', startTag('div|span', 'data-smartmail', 'gmail_signature')],
  ['thunderbird signature', startTag('div|pre', 'class', 'moz-signature')],
  ['outlook signature', startTag('div', 'id', 'Signature')],
  ['outlook mobile signature', startTag('div', 'id', 'ms-outlook-mobile-signature')],
  ['apple signature', startTag('div', 'id', 'AppleMailSignature')],
  ['apple signature', startTag('div', 'class', 'AppleMailSignature')],
  ['proton signature', startTag('div', 'class', 'protonmail_signature_block')],
];

const QUOTE_PLACEHOLDER = '&gt;';
const ELEMENT_TAG = /<(div|span|pre|blockquote)(?=[\s>/])[^>]{0,3000}>/gi;

// Outlook desktop (Word HTML) has no id on its header block, only a top border above "From:".
const BORDER_TOP = /<div(?=[\s>/])[^>]{0,3000}?style\s*=\s*["'][^"'>]{0,3000}?border-top\s*:\s*solid[^>]{0,3000}>/gi;
const HEADER_FROM = /^\s*(?:from|von|de|da|van|från|fra|od|от|发件人|寄件者|差出人|보낸 사람)\s*[:：]/i;

function outlookHeaderBlock(html: string): number {
  for (const m of html.matchAll(BORDER_TOP)) {
    const next = html.slice(m.index + m[0].length, m.index + m[0].length + 600).replace(/<[^>]*>/g, '');
    if (HEADER_FROM.test(next.replace(/&nbsp;/g, ' '))) return m.index;
  }
  return -1;
}

function insideBlockquote(html: string, at: number): boolean {
  const before = html.slice(0, at);
  const opens = before.match(/<blockquote(?=[\s>/])/gi)?.length ?? 0;
  return opens > (before.match(/<\/blockquote\s*>/gi)?.length ?? 0);
}

/** Index just past the element opened at `start` (nesting of the same tag counted), or the end. */
function elementEnd(html: string, start: number, tag: string): number {
  const re = new RegExp(`<(/?)${tag}(?=[\\s>/])[^>]*>`, 'gi');
  re.lastIndex = start;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : m[0].endsWith('/>') ? 0 : 1;
    if (depth <= 0) return m.index + m[0].length;
  }
  return html.length;
}

export function stripHtmlQuotes(input: string): HtmlCut {
  let html = cleanHtml(input);
  const removed: string[] = [];
  const found: string[] = [];

  let cut = html.length;
  let cutName = '';
  for (const [name, re] of REST) {
    const at = html.search(re);
    // Inside a quote (Gmail, Apple, Thunderbird) the quote's own removal is the better cut: it
    // keeps a bottom-posted answer after the quote.
    if (at >= 0 && at < cut && !insideBlockquote(html, at)) [cut, cutName] = [at, name];
  }
  const outlook = outlookHeaderBlock(html);
  if (outlook >= 0 && outlook < cut) [cut, cutName] = [outlook, 'outlook header block'];
  if (cutName) {
    removed.push(html.slice(cut));
    found.push(cutName);
    html = html.slice(0, cut);
  }

  // One pass over the start tags: a matching element is removed with its content (nested
  // matches go with it) and the scan resumes after it. Linear, whatever the input.
  let out = '';
  let pos = 0;
  ELEMENT_TAG.lastIndex = 0;
  for (let m = ELEMENT_TAG.exec(html); m; m = ELEMENT_TAG.exec(html)) {
    const tag = m[0];
    const rule = ELEMENTS.find(([, re]) => re.test(tag));
    if (!rule) continue;
    const end = elementEnd(html, m.index, m[1]!.toLowerCase());
    // A ">" line stands in for the quote, so the text rules still see an attribution line
    // above it as part of the quote, not as the start of unquoted history.
    out += `${html.slice(pos, m.index)}<div>${QUOTE_PLACEHOLDER}</div>`;
    removed.push(html.slice(m.index, end));
    if (!found.includes(rule[0])) found.push(rule[0]);
    pos = end;
    ELEMENT_TAG.lastIndex = end;
  }
  html = out + html.slice(pos);
  return { html, removed, found };
}
