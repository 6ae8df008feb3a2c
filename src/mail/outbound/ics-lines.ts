// Post-processing of the `ics` package's output (3.12, see node_modules/ics/dist):
// - it quotes every parameter value (`PARTSTAT="NEEDS-ACTION"`). RFC 5545 §3.2 defines ROLE,
//   PARTSTAT, CUTYPE, RSVP as bare tokens; ical.js tolerates quotes, stricter clients may not.
// - it always emits `X-PUBLISHED-TTL:PT1H`, a refresh hint for subscribed feeds that means
//   nothing in an iMIP message.
// - it folds at 75 *characters*; RFC 5545 §3.1 says 75 *octets*, so non-ASCII titles made
//   over-long lines. We unfold, fix, and refold by octets without splitting a character.

const TOKEN_PARAMS = /;(ROLE|PARTSTAT|CUTYPE|RSVP|SCHEDULE-AGENT)="([A-Za-z0-9-]+)"/g;
const MAX_OCTETS = 75;

function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter((line) => line !== '');
}

/** Fold one content line at 75 octets; continuation lines start with one space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

export function normalizeIcs(ics: string): string {
  const lines = unfold(ics)
    .filter((line) => !line.startsWith('X-PUBLISHED-TTL:'))
    .map((line) => line.replace(TOKEN_PARAMS, ';$1=$2'));
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
