// Generates malformed and hostile messages (deterministic from a seed) for robustness tests.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function hostileMessages(count: number, to: string[], seed = 42): { to: string; raw: Buffer }[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
  const kinds: ((i: number) => string | Buffer)[] = [
    // Broken MIME: boundary never closed, wrong boundary, missing part headers.
    (i) => `From: a@example.com\r\nMessage-ID: <h${i}@x>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n1,2\r\n--c\r\nno end`,
    // Huge header line and many headers.
    (i) => `From: a@example.com\r\nMessage-ID: <h${i}@x>\r\nX-Big: ${'A'.repeat(200_000)}\r\n${'X-Many: y\r\n'.repeat(2000)}\r\n1`,
    // Deep nesting of multiparts.
    (i) => {
      let body = 'Content-Type: text/plain\r\n\r\n1\r\n';
      for (let d = 0; d < 120; d++) body = `Content-Type: multipart/mixed; boundary="n${d}"\r\n\r\n--n${d}\r\n${body}--n${d}--\r\n`;
      return `From: a@example.com\r\nMessage-ID: <h${i}@x>\r\nMIME-Version: 1.0\r\n${body}`;
    },
    // Unknown and lying charsets, invalid encoded-words.
    (i) => `From: =?x-unknown?B?!!!?= <a@example.com>\r\nSubject: =?utf-8?Q?=FF=FE=00?=\r\nMessage-ID: <h${i}@x>\r\nContent-Type: text/plain; charset=x-klingon\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=0=\r\n1,3`,
    // Invalid base64 and a lying content length.
    (i) => `From: a@example.com\r\nMessage-ID: <h${i}@x>\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\nContent-Length: 99999\r\n\r\n%%%%not base64%%%%\r\n`,
    // Pure binary junk (with NUL bytes).
    () => Buffer.concat([Buffer.from('From: a@example.com\r\n'), junk(2000 + Math.floor(r() * 8000))]),
    // No headers at all.
    () => junk(500),
    // HTML bomb: deeply nested tags.
    (i) => `From: a@example.com\r\nMessage-ID: <h${i}@x>\r\nContent-Type: text/html\r\n\r\n${'<div>'.repeat(20_000)}1${'</div>'.repeat(10)}`,
    // A calendar part that is not a calendar; a DSN without fields.
    (i) => `From: a@example.com\r\nMessage-ID: <h${i}@x>\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:\r\n`,
    (i) => `From: <>\r\nMessage-ID: <h${i}@x>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=q\r\n\r\n--q\r\nContent-Type: message/delivery-status\r\n\r\ngarbage\r\n--q--`,
    // Reply-looking text with control characters and a header injection attempt.
    (i) => `From: a@example.com\r\nSubject: x\r\n\tBcc: victim@example.com\r\nMessage-ID: <h${i}@x>\r\n\r\n\u0000\u0007 1,\u202e2 all none 99999999999999999999`,
  ];
  return Array.from({ length: count }, (_, i) => {
    const made = kinds[i % kinds.length]!(i);
    return { to: pick(to), raw: Buffer.isBuffer(made) ? made : Buffer.from(made, 'utf8') };
  });
}
