// Stored inbound mail keeps no event token in clear (SPEC §1): every encoding a reply quotes
// our links and addresses in becomes "h" + the token's lookup hash.
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { distrustStoredForms, headerBlockOf, scrubTokens, scrubTokensInText, storedFormsIn, storedToken } from '../../src/security/token-scrub.js';
import { readMail } from '../../src/mail/inbound/read-mail.js';
import { tokenHash } from '../../src/security/tokens.js';

const T = '0123456789abcdef0123456789abcdef01234567';
const H = `h${tokenHash(T)}`;
/** H neutralised: what a stored form that arrives from outside becomes. */
const X = `x${tokenHash(T)}`;
const b64 = (s: string) => (Buffer.from(s).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

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
    // A second pass would take the stored forms for ones that came from outside: it runs once, on arrival.
    expect(scrubTokensInText(out)).toBe(out.replaceAll(H, X));
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

// A stored form is the token's hash, which event_tokens, every stored message and a backup hold:
// honoured only where the scrubber wrote it.
describe('stored forms that arrive from outside', () => {
  it('are neutralised in every place and encoding a token is looked for, before tokens are replaced', () => {
    const hex = tokenHash(T);
    const text = [
      `To: reply+${H}@calndro.test`, `Cc: MEET+${H.toUpperCase()}@calndro.test`, `?et=${H}`, `?et=3D${H}`, `?url=x%3Fet%3D${H}`, `et%253D${H}`,
      `To: reply+h${hex.slice(0, 30)}\r\n ${hex.slice(30)}@calndro.test`, `?et=3Dh${hex.slice(0, 20)}=\r\n${hex.slice(20)}`,
      `and a real one: reply+${T}@calndro.test`,
    ].join('\r\n');
    expect(scrubTokensInText(text).split('\r\n')).toEqual([
      `To: reply+${X}@calndro.test`, `Cc: MEET+${X.toUpperCase().replace('X', 'x')}@calndro.test`, `?et=${X}`, `?et=3D${X}`, `?url=x%3Fet%3D${X}`, `et%253D${X}`,
      `To: reply+x${hex.slice(0, 30)}`, ` ${hex.slice(30)}@calndro.test`, `?et=3Dx${hex.slice(0, 20)}=`, `${hex.slice(20)}`,
      `and a real one: reply+${H}@calndro.test`,
    ]);
    // The envelope's recipients go through the same replacement.
    expect(scrubTokensInText(`reply+${H}@calndro.test`)).toBe(`reply+${X}@calndro.test`);
  });

  it('are neutralised in headers, quoted-printable and base64 parts, a base64 message/rfc822 part included', async () => {
    const inner = ['From: bot@calndro.test', 'To: alice@example.org', 'Content-Type: text/plain', 'Content-Transfer-Encoding: base64', '', b64(`reply+${H}@calndro.test ?et=${T}`), ''].join('\r\n');
    const raw = Buffer.from([
      'From: mallory@example.com', `To: reply+${H}@calndro.test`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable', '', `reply+=\r\n${H}@calndro.test`,
      '--b1', 'Content-Type: text/html', 'Content-Transfer-Encoding: base64', '', b64(`<a href="mailto:meet+${H}@calndro.test">x</a>`),
      '--b1', 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', b64(inner), '--b1--', ''].join('\r\n'));
    const out = scrubTokens(raw);
    const parsed = await simpleParser(out);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]!.address).toBe(`reply+${X}@calndro.test`);
    expect(parsed.text).toContain(`reply+${X}@calndro.test`);
    expect(parsed.html).toContain(`<a href="mailto:meet+${X}@calndro.test">x</a>`);
    const attached = await simpleParser(parsed.attachments[0]!.content);
    expect(attached.text?.trim()).toBe(`reply+${X}@calndro.test ?et=${H}`);
    expect(out.toString('latin1')).not.toContain(H);
  });

  it('keeps tokens out of a base64 message/rfc822 part whose text part is base64 again', async () => {
    const inner = ['From: bot@calndro.test', 'To: alice@example.org', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64(`Reply to reply+${T}@calndro.test\nLink: https://x/e/?et=${T}\n`), ''].join('\r\n');
    const raw = Buffer.from(['From: alice@example.org', 'To: new@calndro.test', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="o"', '',
      '--o', 'Content-Type: text/plain', '', 'fyi', '--o', 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', b64(inner), '--o--', ''].join('\r\n'));
    const attached = await simpleParser((await simpleParser(scrubTokens(raw))).attachments[0]!.content);
    expect(attached.text).toBe(`Reply to reply+${H}@calndro.test\nLink: https://x/e/?et=${H}\n`);
  });

  it('are not honoured when mail parsing reads one out of an encoding the scrubber does not see', async () => {
    const hex = tokenHash(T);
    const forged = [
      `To: =?utf-8?Q?reply+${H}@calndro.test?=`,
      `To: =?utf-8?Q?reply+h=${hex.charCodeAt(0).toString(16).toUpperCase()}${hex.slice(1)}@calndro.test?=`,
      `To: "reply+h${hex.slice(0, 30)}\\${hex.slice(30)}"@calndro.test`,
    ];
    for (const header of forged) {
      const stored = scrubTokens(Buffer.from(`From: mallory@example.com\r\n${header}\r\nSubject: Re\r\n\r\n2\r\n`));
      const mail = await readMail(stored, 'mallory@example.com');
      expect(mail!.to, header).toEqual([`reply+${X}@calndro.test`]);
    }
    // The scrubber's own form, in the same encodings, stays honoured.
    const genuine = scrubTokens(Buffer.from(`From: alice@example.org\r\nTo: =?utf-8?Q?Calndro?= <reply+${T}@calndro.test>\r\nCc: =?utf-8?Q?reply+${T}@calndro.test?=\r\n\r\n2\r\n`));
    const mail = await readMail(genuine, 'alice@example.org');
    expect([...mail!.to, ...mail!.cc]).toEqual([`reply+${H}@calndro.test`, `reply+${H}@calndro.test`]);
  });

  it('trusts only the lowercase forms the scrubber writes into the header block', () => {
    const written = storedFormsIn(headerBlockOf(Buffer.from(`To: reply+${H}@calndro.test\r\nX: xreply+h${'a'.repeat(64)}\r\n\r\nreply+h${'b'.repeat(64)}`)));
    expect([...written]).toEqual([H]);
    for (const raw of ['A: 1\r\nB: 2\r\n\r\nbody\n\nmore', 'A: 1\nB: 2\n\nbody', 'A: 1\r\nB: 2\n\r\nbody', 'A: 1\r\nB: 2', '\r\n\r\nbody']) {
      const split = /\r?\n\r?\n/.exec(raw);
      expect(headerBlockOf(Buffer.from(raw)), JSON.stringify(raw)).toBe(split ? raw.slice(0, split.index) : raw);
    }
    expect(distrustStoredForms(`reply+${H}@calndro.test`, written)).toBe(`reply+${H}@calndro.test`);
    expect(distrustStoredForms(`Reply+h${'b'.repeat(64)}@calndro.test`, written)).toBe(`Reply+x${'b'.repeat(64)}@calndro.test`);
    expect(distrustStoredForms(`reply+${H.toUpperCase().replace('H', 'h')}@calndro.test`, written)).toBe(`reply+${X.toUpperCase().replace('X', 'x')}@calndro.test`);
  });
});
