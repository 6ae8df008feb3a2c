// Targeted cases for the extractor's layers; the client corpus is in reply-corpus.test.ts.
import { describe, expect, it } from 'vitest';
import { extractReply } from '../../src/mail/inbound/extract-reply.js';
import { REPLY_MARKER_HTML_ID, REPLY_MARKER_TEXT } from '../../src/mail/reply-marker.js';

const SLOT = '1. Tue 2031-03-11 14:00 UTC (1 h)';

describe('our marker', () => {
  it('an unquoted marker line ends the reply even when nothing else is recognized', () => {
    const text = `2\n\nKimden: calndro\nKonu: Project\n\n${REPLY_MARKER_TEXT}\nPick "1,3" or "all"`;
    const { reply, elided } = extractReply({ text });
    expect(reply).not.toContain('Pick');
    expect(reply.startsWith('2')).toBe(true);
    expect(elided).toContain(REPLY_MARKER_TEXT);
  });

  it('tolerates changed spacing and case in the marker line', () => {
    const { reply } = extractReply({ text: 'none\n--  reply ABOVE this line to answer  --\nall of them' });
    expect(reply).toBe('none');
  });

  it('a quoted marker keeps a bottom-posted answer below the quote', () => {
    const text = `Bot <bot@calndro.test> wrote:\n> ${REPLY_MARKER_TEXT}\n> ${SLOT}\n\n3\n`;
    expect(extractReply({ text }).reply).toBe('3');
  });

  it('HTML: an unquoted marker element (Outlook "x_" prefix) cuts the rest', () => {
    const html = `<div>1</div><div id="x_${REPLY_MARKER_HTML_ID}">${REPLY_MARKER_TEXT}</div><p>${SLOT}</p><p>all</p>`;
    expect(extractReply({ html }).reply).toBe('1');
  });

  it('HTML: a marker inside a blockquote keeps an answer after the quote', () => {
    const html = `<div>On Tue, Bot wrote:</div><blockquote type="cite"><div id="${REPLY_MARKER_HTML_ID}">m</div>${SLOT}</blockquote><div>3</div>`;
    expect(extractReply({ html }).reply).toBe('3');
  });
});

describe('choosing HTML or text', () => {
  it('uses HTML when it carries a client quote marker', () => {
    const html = '<div dir="ltr">HTML 3</div><div class="gmail_quote">On Tue wrote:<blockquote>x</blockquote></div>';
    expect(extractReply({ text: 'TEXT 2\n\n> x', html }).reply).toBe('HTML 3');
  });

  it('uses the text part when the HTML has no marker', () => {
    expect(extractReply({ text: 'TEXT 2', html: '<p>HTML 3</p>' }).reply).toBe('TEXT 2');
  });

  it('converts marker-less HTML-only mail (entities, <br>, nbsp)', () => {
    expect(extractReply({ html: '<p>1&nbsp;&amp;&#160;3</p><p>ok<br>Bob</p>' }).reply).toBe('1 & 3\n\nok\nBob');
  });

  it('removes HTML signatures and keeps what follows a removed quote (inline posting)', () => {
    const html = '<blockquote>Q1</blockquote><div>2</div><blockquote>Q2</blockquote><div>see you</div><div class="gmail_signature">Bob Example</div>';
    expect(extractReply({ html }).reply).toMatch(/^2\n+see you$/);
  });
});

describe('email-reply-parser covers languages our rules lack', () => {
  it('Polish "W dniu … pisze:" header', () => {
    const text = `1\n\nW dniu 4.03.2031 o 09:00, calndro <bot@calndro.test> pisze:\n> ${SLOT}\n`;
    expect(extractReply({ text }).reply).toBe('1');
  });

  it('Dutch mobile footer', () => {
    expect(extractReply({ text: '2\n\nVerstuurd vanaf mijn iPhone\n' }).reply).toBe('2');
  });
});

describe('robustness', () => {
  it('a reply starting with "On Tuesday …" is not taken for a quote header', () => {
    expect(extractReply({ text: 'On Tuesday I can meet, so 2.\n\nBob' }).reply).toContain('On Tuesday I can meet');
  });

  it.each([
    [{}],
    [{ text: null, html: null }],
    [{ text: 5 as never, html: {} as never }],
    [null as never],
    [{ html: '<blockquote>'.repeat(20000) }],
    [{ html: '<div class="gmail_quote"'.repeat(5000) }],
    [{ text: '>'.repeat(200000) }],
    [{ text: `On ${'x '.repeat(50000)} wrote:` }],
    [{ text: '\u0000\uFFFF\uD800' }],
  ])('never throws (%#)', (input) => {
    const started = Date.now();
    const out = extractReply(input);
    expect(typeof out.reply).toBe('string');
    expect(typeof out.elided).toBe('string');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
