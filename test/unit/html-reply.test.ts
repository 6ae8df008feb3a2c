// HTML replies as htmlparser2 reads them: markup a tag regex misreads, every named entity, and
// a bound on hostile nesting. The client corpus is in reply-corpus.test.ts.
import { describe, expect, it } from 'vitest';
import { extractReply } from '../../src/mail/inbound/extract-reply.js';
import { nodesToText, parseHtml } from '../../src/mail/inbound/html-text.js';

const text = (html: string) => nodesToText(parseHtml(html).children);

describe('HTML read by a parser', () => {
  it('finds a signature whose start tag has a ">" inside a quoted attribute', () => {
    const { reply, elided } = extractReply({ html: '<div>2</div><div data-note="a > b" class="gmail_signature">Bob Example</div>' });
    expect(reply).toBe('2');
    expect(elided).toBe('Bob Example');
  });

  it('reads upper-case tags, unquoted attributes and every named entity', () => {
    expect(extractReply({ html: '<DIV>3 &euro; &hearts; &Eacute;t&eacute;</DIV><DIV CLASS=gmail_quote>old</DIV>' }).reply).toBe('3 € ♥ Été');
  });

  it('drops what never shows, an unclosed <style> included', () => {
    expect(text('<head><title>T</title></head><p>1</p><!-- hidden --><script>x()</script><p>2</p><style>p{}')).toBe('1\n\n2');
  });

  it('keeps the top of a hostile, deeply nested document and drops the rest', () => {
    const doc = parseHtml(`<p>all</p>${'<span>'.repeat(100_000)}deep`);
    let depth = 0;
    for (let node = doc.children.at(-1); node && 'children' in node; node = node.children[0]) depth++;
    expect(depth).toBeLessThanOrEqual(1_000);
    expect(nodesToText(doc.children)).toBe('all');
  });
});
