// HTML → plain text for reply extraction: the visible words of a short reply, line by line.
// htmlparser2 does the parsing (tags, attributes, entities, unclosed and stray tags); this file
// only decides where lines break. Not a sanitizer: the output is only ever parsed, never rendered.
import { type AnyNode, type Document, DomHandler, hasChildren, isTag, isText } from 'domhandler';
import { findAll, removeElement } from 'domutils';
import { Parser } from 'htmlparser2';

/** Markup that never shows: dropped before anything looks for markers or words (comments produce nothing either). */
const INVISIBLE = new Set(['head', 'style', 'script', 'title', 'xml', 'template']);
const BLOCK = new Set(['p', 'div', 'tr', 'li', 'ul', 'ol', 'table', 'tbody', 'thead', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'blockquote', 'hr', 'pre', 'section', 'article', 'header', 'footer', 'dl', 'dt', 'dd', 'center', 'address']);
const CELL = new Set(['td', 'th']);

/**
 * Deeper than any client's quote chain. htmlparser2's open-element stack costs O(depth) per tag,
 * so hostile nesting (over 100,000 levels fit in extract-reply's 500 kB cap) would take seconds;
 * past this depth the rest of the document is dropped (the answer is at the top).
 */
const MAX_DEPTH = 1_000;

class TooDeep extends Error {}

/** htmlparser2's DOM builder with a depth bound; elements that never show are dropped as they close. */
class VisibleDomHandler extends DomHandler {
  private depth = 0;

  constructor() {
    super(undefined, undefined, (el) => {
      if (INVISIBLE.has(el.name)) removeElement(el); // the last child of its parent at this point: O(1)
    });
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (++this.depth > MAX_DEPTH) throw new TooDeep();
    super.onopentag(name, attribs);
  }

  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

/** The document without the elements that never show (head, style, script…), at most MAX_DEPTH deep. */
export function parseHtml(html: string): Document {
  const handler = new VisibleDomHandler();
  try {
    new Parser(handler).end(html);
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
    // Cut off inside an element that never shows: it never closed, so it is still there.
    for (const el of findAll((e) => INVISIBLE.has(e.name), handler.root.children).reverse()) removeElement(el);
  }
  return handler.root;
}

/**
 * Depth-first over each of `nodes` and its descendants, along the DOM's own links (no recursion,
 * no stack: mail can nest deep). `enter` returns false to skip a node's children; `leave` runs
 * after them.
 */
function walk(nodes: readonly AnyNode[], enter: (node: AnyNode) => boolean, leave?: (node: AnyNode) => void): void {
  for (const root of nodes) {
    let node: AnyNode = root;
    for (;;) {
      if (enter(node) && hasChildren(node) && node.children.length > 0) {
        node = node.children[0]!;
        continue;
      }
      // Up to the next unvisited sibling, leaving each finished node on the way.
      for (;;) {
        leave?.(node);
        if (node === root) break;
        if (node.next) break;
        node = node.parent!;
      }
      if (node === root) break;
      node = node.next!;
    }
  }
}

/** The text of parsed nodes: blocks break lines where they open and close, as <br> and <hr> do; table cells are spaced. */
export function nodesToText(nodes: readonly AnyNode[]): string {
  let out = '';
  const edge = (name: string) => {
    if (BLOCK.has(name)) out += '\n';
    else if (CELL.has(name)) out += ' ';
  };
  walk(nodes, (node) => {
    // Source line breaks are plain whitespace in HTML.
    if (isText(node)) out += node.data.replace(/\s+/g, ' ');
    if (!isTag(node)) return true;
    if (node.name === 'br' || node.name === 'hr') out += '\n';
    else edge(node.name);
    return !INVISIBLE.has(node.name);
  }, (node) => {
    if (isTag(node) && node.name !== 'hr') edge(node.name);
  });
  return out
    .replace(/[ \t\u00a0]+/g, ' ')
    .split('\n')
    .map((l) => (l.trim() === '--' ? '-- ' : l.trim())) // keep the signature delimiter recognizable
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
