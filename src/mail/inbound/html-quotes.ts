// Cuts quoted history and signatures out of a reply's HTML using the markup mail clients put
// there (the Discourse receiver's HTML_EXTRACTERS, MAIL-NOTES §1). Markup is more reliable than
// guessing from text: a client's own quote container is unambiguous, in any language.
// The HTML is parsed by htmlparser2; elements are selected with domutils.
import { type AnyNode, type ChildNode, Element, Text, isTag, isText } from 'domhandler';
import { appendChild, find, findAll, getAttributeValue, removeElement, replaceElement } from 'domutils';
import { REPLY_MARKER_HTML_ID } from '../reply-marker.js';
import { parseHtml } from './html-text.js';

export interface HtmlCut {
  /** The parsed HTML with quotes and signatures removed. */
  kept: ChildNode[];
  /** Removed pieces, in order of removal. */
  removed: AnyNode[][];
  /** Names of the markers that were found (empty: nothing recognized). */
  found: string[];
}

type Rule = [name: string, matches: (el: Element) => boolean];

/** Whether an attribute (a class list, an id) holds a token matching `token` (a regex source). */
const hasToken = (token: string) => {
  const re = new RegExp(`(?:^|\\s)${token}(?:\\s|$)`, 'i');
  return (el: Element, attr: string): boolean => {
    const value = getAttributeValue(el, attr);
    return value !== undefined && re.test(value);
  };
};

// Quoted copies get their ids/classes prefixed: Outlook web "x_", Gmail "gmail-" or "m_-123…".
const rule = (name: string, tags: string[], attr: string, value: string): Rule => {
  const has = hasToken(`(?:x_|gmail-|m_-?\\d+_?)?${value}`);
  return [name, (el) => tags.includes(el.name) && has(el, attr)];
};

const ourMarker = hasToken(`[\\w-]*${REPLY_MARKER_HTML_ID}\\S*`);

/** Everything from these to the end is history (Outlook puts the quote after them, unnested). */
const REST: Rule[] = [
  ['calndro marker', (el) => ourMarker(el, 'id') || ourMarker(el, 'class')],
  rule('outlook divRplyFwdMsg', ['div'], 'id', 'divRplyFwdMsg'),
  rule('outlook appendonsend', ['div'], 'id', 'appendonsend'),
  rule('exchange messageReplySection', ['div'], 'name', 'messageReplySection'),
  rule('thunderbird forward', ['div'], 'class', 'moz-forward-container'),
];

/** These elements are removed with their content; what follows them stays (bottom/inline posting). */
const ELEMENTS: Rule[] = [
  rule('gmail quote', ['div'], 'class', 'gmail_quote'),
  rule('gmail attribution', ['div'], 'class', 'gmail_attr'),
  ['blockquote', (el) => el.name === 'blockquote'],
  rule('thunderbird cite prefix', ['div'], 'class', 'moz-cite-prefix'),
  rule('yahoo quote', ['div'], 'class', 'yahoo_quoted'),
  rule('gmail signature', ['div', 'span'], 'class', 'gmail_signature'),
  rule('gmail signature', ['div', 'span'], 'data-smartmail', 'gmail_signature'),
  rule('thunderbird signature', ['div', 'pre'], 'class', 'moz-signature'),
  rule('outlook signature', ['div'], 'id', 'Signature'),
  rule('outlook mobile signature', ['div'], 'id', 'ms-outlook-mobile-signature'),
  rule('apple signature', ['div'], 'id', 'AppleMailSignature'),
  rule('apple signature', ['div'], 'class', 'AppleMailSignature'),
  rule('proton signature', ['div'], 'class', 'protonmail_signature_block'),
];

// Outlook desktop (Word HTML) has no id on its header block, only a top border above "From:".
const BORDER_TOP = /border-top\s*:\s*solid/i;
const HEADER_FROM = /^\s*(?:from|von|de|da|van|från|fra|od|от|发件人|寄件者|差出人|보낸 사람)\s*[:：]/i;

/** The first characters of an element's text, looking at no more than its first few nodes. */
function leadingText(el: Element, max: number): string {
  let text = '';
  let seen = 0;
  find((node) => {
    if (isText(node)) text += node.data;
    return text.length >= max || ++seen >= 64;
  }, el.children, true, 1);
  return text.slice(0, max);
}

const outlookHeaderBlock = (el: Element): boolean =>
  el.name === 'div' && BORDER_TOP.test(getAttributeValue(el, 'style') ?? '') && HEADER_FROM.test(leadingText(el, 200));

function insideBlockquote(el: Element): boolean {
  for (let p = el.parent; p; p = p.parent) if (isTag(p) && p.name === 'blockquote') return true;
  return false;
}

/**
 * Where the history starts: the first marker in document order. A marker inside a quote
 * (Gmail, Apple, Thunderbird) is left to the quote's own removal: that keeps a bottom-posted
 * answer after the quote.
 */
function historyStart(nodes: ChildNode[]): { el: Element; name: string } | null {
  const markerName = (el: Element): string =>
    REST.find(([, matches]) => matches(el) && !insideBlockquote(el))?.[0] ?? (outlookHeaderBlock(el) ? 'outlook header block' : '');
  const [el] = find((node) => isTag(node) && markerName(node) !== '', nodes, true, 1);
  return el && isTag(el) ? { el, name: markerName(el) } : null;
}

/** Detaches `el` and everything after it in document order; returns them in document order. */
function cutFrom(el: Element): ChildNode[] {
  const gone: ChildNode[] = [];
  for (let node: ChildNode | null = el; node; node = node.parent && isTag(node.parent) ? node.parent : null) {
    for (let s: ChildNode | null = node === el ? el : node.next; s; s = s.next) gone.push(s);
  }
  // From the last: each removal searches its siblings from the end.
  for (const node of [...gone].reverse()) removeElement(node);
  return gone;
}

export function stripHtmlQuotes(input: string): HtmlCut {
  const doc = parseHtml(input);
  const removed: AnyNode[][] = [];
  const found: string[] = [];

  const start = historyStart(doc.children);
  if (start) {
    removed.push(cutFrom(start.el));
    found.push(start.name);
  }

  // Document order over all elements: a matching one is removed with its content (nested
  // matches go with it) and the scan resumes after it. Linear, whatever the input.
  const elements = findAll(() => true, doc.children);
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    const name = ELEMENTS.find(([, matches]) => matches(el))?.[0];
    if (!name) continue;
    i += findAll(() => true, el.children).length;
    // A ">" line stands in for the quote, so the text rules still see an attribution line
    // above it as part of the quote, not as the start of unquoted history.
    const placeholder = new Element('div', {});
    appendChild(placeholder, new Text('>'));
    replaceElement(el, placeholder);
    removed.push([el]);
    if (!found.includes(name)) found.push(name);
  }
  return { kept: doc.children, removed, found };
}
