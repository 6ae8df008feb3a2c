// "for 45 min", "for 1.5 hours", "für 30 Minuten", "pendant 1h30": how long a written time lasts.
// Found before the date parser runs, because chrono reads "for 45 min" as "45 minutes from now".
const US_PER_MIN = 60_000_000n;

export interface FoundLength {
  us: bigint;
  index: number;
  length: number;
}

const PREFIX = String.raw`(?:for|lasting|duration\s*:?|length\s*:?|für|fuer|dauer\s*:?|pendant|pour|durée\s*:?)`;
const WORD_NUMBER: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, 'half an': 0.5, 'half a': 0.5,
  ein: 1, eine: 1, einen: 1, einer: 1, zwei: 2, drei: 3, 'eine halbe': 0.5, 'einer halben': 0.5, anderthalb: 1.5, eineinhalb: 1.5,
  un: 1, une: 1, deux: 2, trois: 3, 'une demi': 0.5, 'une demie': 0.5,
};
const WORDS = Object.keys(WORD_NUMBER).sort((a, b) => b.length - a.length).join('|');
const HOURS = String.raw`hours?|hrs?\.?|stunden?|std\.?|heures?`;
const MINUTES = String.raw`minutes?|mins?\.?|minuten?`;
const NUMBER = String.raw`\d+(?:[.,]\d+)?`;

// With a prefix, the short unit "h" is a length ("for 1h30"); without one, "15h" is a French
// clock time, so only spelled-out units count ("(45 min)", "1 Stunde").
const WITH_PREFIX = new RegExp(
  String.raw`\b${PREFIX}\s+(${NUMBER}|${WORDS})[\s-]*(${HOURS}|${MINUTES}|h|m)(?:\s*(\d{1,2})\s*(?:${MINUTES}|m)?)?(?![\p{L}\d])`,
  'giu',
);
const BARE = new RegExp(
  String.raw`\(?\b(${NUMBER})[\s-]*(${HOURS}|${MINUTES})(?:\s*(\d{1,2})\s*(?:${MINUTES})?)?(?![\p{L}\d])\)?`,
  'giu',
);
const DEMI_HEURE = /\b(?:pendant|pour|durée\s*:?)?\s*une\s+demi-heure\b/giu;

function amount(text: string): number {
  const word = WORD_NUMBER[text.toLowerCase().replace(/\s+/g, ' ')];
  return word ?? Number(text.replace(',', '.'));
}

function toUs(value: number, unit: string, extraMinutes: string | undefined): bigint {
  const isHours = /^(h|hours?|hrs?\.?|stunden?|std\.?|heures?)$/i.test(unit);
  const minutes = (isHours ? value * 60 : value) + Number(extraMinutes ?? '0');
  return BigInt(Math.round(minutes * 60)) * (US_PER_MIN / 60n);
}

/** Every length written in a text, in order, not overlapping. */
export function findLengths(text: string): FoundLength[] {
  const found: FoundLength[] = [];
  const taken = (i: number, n: number) => found.some((f) => i < f.index + f.length && f.index < i + n);
  for (const m of text.matchAll(DEMI_HEURE)) {
    found.push({ us: 30n * US_PER_MIN, index: m.index!, length: m[0].length });
  }
  for (const re of [WITH_PREFIX, BARE]) {
    for (const m of text.matchAll(re)) {
      if (taken(m.index!, m[0].length)) continue;
      found.push({ us: toUs(amount(m[1]!), m[2]!, m[3]), index: m.index!, length: m[0].length });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
