// Stored inbound mail keeps no event token in clear (SPEC §1): every encoding a reply quotes
// our links and addresses in becomes "h" + the token's lookup hash.
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { scrubTokens, scrubTokensInText, storedToken } from '../../src/security/token-scrub.js';
import { tokenHash } from '../../src/security/tokens.js';

const T = '0123456789abcdef0123456789abcdef01234567';
const H = `h${tokenHash(T)}`;

describe('scrubTokens', () => {
  it('uses the lookup hash of event_tokens, lowercase, whatever the case written', () => {
    expect(storedToken(T)).toBe(H);
    expect(storedToken(T.toUpperCase())).toBe(H);
    expect(scrubTokensInText(`Reply+${T.toUpperCase()}@calndro.test`)).toBe(`Reply+${H}@calndro.test`);
  });

  it('replaces reply+, meet+ and et= forms (plain, quoted-printable, URL-encoded) and leaves the rest', () => {
    const text = [
      `To: reply+${T}@calndro.test`, `ORGANIZER:mailto:meet+${T}@calndro.test`, `http://x/5/?et=${T}`, `<a href=3D"http://x/5/?et=3D${T}">`,
      `https://safelinks.example/?url=http%3A%2F%2Fx%2F5%2F%3Fet%3D${T}&data=1`, `double: et%253D${T}`,
      `not ours: set=${T} commit ${T} reply+${T}0`,
    ].join('\r\n');
    const out = scrubTokensInText(text);
    expect(out.split('\r\n')).toEqual([
      `To: reply+${H}@calndro.test`, `ORGANIZER:mailto:meet+${H}@calndro.test`, `http://x/5/?et=${H}`, `<a href=3D"http://x/5/?et=3D${H}">`,
      `https://safelinks.example/?url=http%3A%2F%2Fx%2F5%2F%3Fet%3D${H}&data=1`, `double: et%253D${H}`,
      `not ours: set=${T} commit ${T} reply+${T}0`,
    ]);
    expect(scrubTokensInText(out)).toBe(out);
  });

  it('finds a token split by a quoted-printable soft line break or a folded line', () => {
    expect(scrubTokensInText(`?et=3D${T.slice(0, 17)}=\r\n${T.slice(17)} more`)).toBe(`?et=3D${H} more`);
    expect(scrubTokensInText(`mailto:meet+${T.slice(0, 30)}\r\n ${T.slice(30)}@calndro.test`)).toBe(`mailto:meet+${H}@calndro.test`);
  });

  it('rewrites base64 parts (decoded, replaced, encoded again) inside multiparts; the message still parses', async () => {
    const html = Buffer.from(`<p>1</p><blockquote><a href="http://x/5/?et=${T}">open</a> reply+${T}@calndro.test</blockquote>`).toString('base64');
    const raw = Buffer.from([
      'From: a@example.com', `To: reply+${T}@calndro.test`, 'Subject: Re', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', `1\r\n> http://x/5/?et=3D${T}`,
      '--b1', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', ...(html.match(/.{1,76}/g) ?? []), '--b1--', ''].join('\r\n'));
    const out = scrubTokens(raw);
    expect(out.toString('latin1')).not.toContain(T);
    const parsed = await simpleParser(out);
    expect(parsed.html).toBe(`<p>1</p><blockquote><a href="http://x/5/?et=${H}">open</a> reply+${H}@calndro.test</blockquote>`);
    expect(parsed.text).toContain(`?et=${H}`);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]!.address).toBe(`reply+${H}@calndro.test`);
  });

  it('returns the same bytes when there is no token (binary and broken MIME included)', () => {
    const raw = Buffer.concat([Buffer.from('Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%\r\n'), Buffer.from([0, 255, 10, 13])]);
    expect(scrubTokens(raw)).toBe(raw);
  });
});
