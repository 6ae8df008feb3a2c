// The selection grammar (SPEC §5): which of the numbered slots a party keeps. One grammar for
// every door that asks for numbers: a reply e-mail and the TUI's "keep which numbers?" prompt.
// Lenient about the words around the numbers ("Slots 1 & 3 work for me", "Yes, 2 is fine"),
// strict wherever a digit could be a date, a time or a quantity ("Tuesday at 3", "10:30",
// "2 hours"): a misread selection silently changes the meeting, while "unparseable" only costs
// one helpful reply.
//
// Which text counts: only the first LINES_CONSIDERED non-empty lines of the extracted reply.
// A leading greeting ("Hi all,") is ignored; the first of those lines that carries a signal
// (a digit, an "all" word or a "none" word) decides, and lines after it are ignored, except
// further lines holding nothing but numbers ("1" / "3" on separate lines), which are merged.
// Lines further down are signatures, phone numbers or unremoved quotes, never the answer.

export type Selection =
  | { kind: 'numbers'; numbers: number[] }
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'unparseable'; reason: string };

/** Highest slot number a mail can list (the maximum slot count of an event). */
export const MAX_SLOT_NUMBER = 30;
/** How many non-empty lines from the top of the reply are looked at. */
export const LINES_CONSIDERED = 3;

// Word lists are matched with Unicode-aware boundaries (JS \b ignores é, ñ, à).
const words = (list: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${list})(?![\\p{L}\\p{N}])`, 'u');

// Politeness that would otherwise read as a keyword ("Thanks all!") or a negation ("No problem").
const COURTESY = words(
  "(?:thanks|thank you|thx|merci|danke|gracias)(?: (?:all|everyone|so much|a lot))?|no (?:problem|worries)|kein problem",
);
const GREETING = words('hi|hello|hey|dear|hallo|moin|servus|bonjour|salut|hola|ciao|good (?:morning|afternoon|evening)');
const ALL = words("all|alle|tous|toutes|todos|todas|everything|any of (?:them|these|those|the slots)");
const NONE = words('none|neither|nothing|no slots?|no options?|keine?|aucune?|ninguno|ninguna|nada');
const NEGATION = /(?<![\p{L}\p{N}])(?:not|no|nor|except|excluding|besides|without|nicht|außer|sauf|excepto|menos)(?![\p{L}\p{N}])|n't(?![\p{L}])/u;
const NUMERIC_CONTEXT: Array<[RegExp, string]> = [
  [/\d\s*[:h]\s*\d\d/u, 'looks like a time'],
  [/\d{1,4}\s*-\s*\d{1,2}\s*-\s*\d{1,4}/u, 'looks like a date'],
  [/\d[./]\d|\d\s*\/\s*\d/u, 'looks like a date, a time or a fraction'],
  [/\d\s*(?:a\.m|p\.m)|\d\p{L}/u, 'a number is glued to a word (time, ordinal or unit)'],
  [
    /\d\s*(?:am|pm|hrs?|hours?|mins?|minutes?|o'?clock|uhr|days?|weeks?|months?|years?|people|persons?|%|€|\$)(?![\p{L}])/u,
    'a number is followed by a unit',
  ],
  [
    /(?<![\p{L}\p{N}])(?:at|um|à|a las|by|around|from|until|till|til|before|after|past|gegen|ab|vor|nach|ca|circa|approx|approximately|@)\s*#?\d/u,
    'a number follows a time word ("at", "before", …)',
  ],
  [
    words(
      'mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday|' +
        'today|tomorrow|tonight|yesterday|morning|afternoon|evening|noon|midnight|week|weekend|month|' +
        'montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|heute|morgen|' +
        'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|' +
        'lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|mañana|hoy',
    ),
    'mentions a day or time of day',
  ],
  [
    words(
      'jan|january|feb|february|mar|march|apr|april|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|' +
        'januar|februar|märz|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|' +
        'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|' +
        'may\\s+\\d|\\d\\s+may|mai\\s+\\d|\\d\\.?\\s+mai',
    ),
    'mentions a month',
  ],
];
// A range "1-3", "1 – 3" (dashes normalized below), "1 to 3", "1 bis 3"; otherwise a single number.
const NUMBER_OR_RANGE = /(\d+)(?:\s*(?:-|(?<![\p{L}])(?:to|through|thru|bis)(?![\p{L}]))\s*#?(\d+))?/gu;
const ONLY_NUMBERS = /^(?:[#\d\s,;&+.)(-]|and|und|et|y)+$/u;

function prepare(line: string): string {
  let l = line
    .normalize('NFKC') // full-width digits and commas from CJK keyboards
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  if (GREETING.test(l) && l.search(GREETING) === 0) {
    // "Hi all, 1 and 3" → "1 and 3"; a bare "Hi all" line is dropped altogether.
    const cut = l.search(/[,!:;.]/);
    l = cut >= 0 && cut <= 40 ? l.slice(cut + 1).trim() : l.split(' ').length <= 3 ? '' : l;
  }
  l = l.replace(new RegExp(COURTESY.source, 'gu'), '').replace(/^[\s,.!;:]+$/, '');
  return l.replace(/(?<![\p{L}])(?:not )?at all(?![\p{L}])/u, (m) => (m.startsWith('not') ? 'not' : ''));
}

const hasSignal = (l: string): boolean => /\d/.test(l) || ALL.test(l) || NONE.test(l);
const fail = (reason: string): Selection => ({ kind: 'unparseable', reason });

function interpret(l: string, maxNumber: number): Selection {
  const digits = /\d/.test(l);
  const all = ALL.test(l);
  const none = NONE.test(l);
  if (all && none) return fail('says both "all" and "none"');
  if ((all || none) && digits) return fail(`mixes "${all ? 'all' : 'none'}" with numbers`);
  if (none) return { kind: 'none' };
  if (all) return NEGATION.test(l) ? fail('"all" with a negation') : { kind: 'all' };
  for (const [re, reason] of NUMERIC_CONTEXT) if (re.test(l)) return fail(reason);
  if (NEGATION.test(l)) return fail('numbers with a negation ("not", "except", …)');
  const found = new Set<number>();
  for (const m of l.matchAll(NUMBER_OR_RANGE)) {
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (const n of [a, b]) {
      if (!Number.isSafeInteger(n) || n < 1 || n > maxNumber) {
        const shown = Number.isSafeInteger(n) ? String(n) : `${String(m[1]).slice(0, 8)}…`;
        return fail(`slot number ${shown} is out of range (1-${maxNumber})`);
      }
    }
    for (let n = Math.min(a, b); n <= Math.max(a, b); n++) found.add(n);
  }
  if (found.size === 0) return fail('no slot numbers found');
  return { kind: 'numbers', numbers: [...found].sort((x, y) => x - y) };
}

/** Reads a party's answer. Pure; never throws; options.maxNumber defaults to MAX_SLOT_NUMBER. */
export function parseSelection(text: string, options: { maxNumber?: number } = {}): Selection {
  const maxNumber = options.maxNumber ?? MAX_SLOT_NUMBER;
  if (typeof text !== 'string' || text.trim() === '') return fail('empty reply');
  const lines = text
    .split(/\r?\n/)
    .map(prepare)
    .filter((l) => l !== '');
  // Note: greetings are dropped before counting, so "Hi," does not use up a line.
  const top = lines.slice(0, LINES_CONSIDERED);
  const at = top.findIndex(hasSignal);
  if (at < 0) return fail(top.length === 0 ? 'empty reply' : 'no slot numbers, "all" or "none" found');
  let chosen = top[at]!;
  if (ONLY_NUMBERS.test(chosen)) {
    for (const next of lines.slice(at + 1)) {
      if (!ONLY_NUMBERS.test(next) || !/\d/.test(next)) break;
      chosen += `, ${next}`;
    }
  }
  return interpret(chosen, maxNumber);
}

/** Short human form for acknowledgments and logs: "1, 3", "all", "none". */
export function formatSelection(selection: Selection): string {
  switch (selection.kind) {
    case 'numbers':
      return selection.numbers.join(', ');
    case 'unparseable':
      return `unparseable (${selection.reason})`;
    default:
      return selection.kind;
  }
}
