// Tiny HTML → plain text for reply extraction. We only need the visible words of a short reply,
// line by line, so a dependency-free regex pass is enough (html-to-text ships no types and does
// far more than this). Not a sanitizer: the output is only ever parsed, never rendered.

const BLOCK_TAGS = 'p|div|tr|li|ul|ol|table|tbody|thead|h[1-6]|blockquote|hr|pre|section|article|header|footer|dl|dt|dd|center|address';
const BLOCK = new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^>]*>`, 'gi');

const NAMED: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', shy: '',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è',
  ecirc: 'ê', agrave: 'à', acirc: 'â', ccedil: 'ç', ntilde: 'ñ', aacute: 'á', iacute: 'í', oacute: 'ó', uacute: 'ú',
};

function codePoint(n: number): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '';
}

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});?/gi, (m, e: string) => {
    if (e[0] === '#') return codePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return NAMED[e] ?? NAMED[e.toLowerCase()] ?? m;
  });
}

/**
 * Drops markup that never shows (comments incl. Outlook's conditional ones, head, style, script)
 * and escapes a "<" that never closes, so no later tag regex can scan to the end from each one.
 */
export function cleanHtml(html: string): string {
  return html
    .replace(/<(?=[^<>]*(?:<|$))/g, '&lt;')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<(head|style|script|title|xml|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '');
}

export function htmlToText(html: string): string {
  const text = cleanHtml(html)
    .replace(/\s+/g, ' ') // source line breaks are plain whitespace in HTML
    .replace(/<br\b[^>]*>/gi, '\n')
    .replace(BLOCK, '\n')
    .replace(/<\/?(?:td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/<[a-z/!][^<>]*$/i, ''); // a tag cut off by a quote boundary
  return decodeEntities(text)
    .replace(/[ \t\u00a0]+/g, ' ')
    .split('\n')
    .map((l) => (l.trim() === '--' ? '-- ' : l.trim())) // keep the signature delimiter recognizable
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
