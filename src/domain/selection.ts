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
//
// Read as a person means it (SPEC §12, option `natural`, the reply door): also ordinals ("the
// first and the third", "der erste", "le troisième"), exclusion ("Not 2, sorry.", "all but 2",
// "alle außer 2", "tous sauf 2"), and a line naming a day or a time ("Thursday works",
// "14:00 on the 11th") is handed on as `when`: it is matched against the slot list by the
// caller (domain/events/reply-reading.ts), never guessed here. Still strict: an exclusion
// followed by anything but numbers ("not 2 but maybe 3") is unparseable. Without the option
// (the TUI's "keep which numbers?") only numbers, ranges, all and none count.

export type Selection =
  | { kind: 'numbers'; numbers: number[] }
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'unparseable'; reason: string };

/** What the natural reading adds: every slot but these numbers; a line naming days or times. */
export type NaturalSelection =
  | Selection
  | { kind: 'allBut'; numbers: number[] }
  | { kind: 'when'; text: string };

export interface SelectionOptions {
  maxNumber?: number;
  /** Read ordinals, exclusion and days/times as well (SPEC §12). */
  natural?: boolean;
}

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

// Ordinal words of §10's languages, up to ten (a list is at most 30 long; nobody writes "the
// twenty-third"). Digits with a suffix ("2nd") stay refused: "the 2nd" is as often a date.
const ORDINALS: Array<[number, string]> = [
  [1, 'first|erste[rnsm]?|premi(?:er|ère|ere)'],
  [2, 'second|zweite[rnsm]?|deuxième|deuxieme|seconde?'],
  [3, 'third|dritte[rnsm]?|troisième|troisieme'],
  [4, 'fourth|vierte[rnsm]?|quatrième|quatrieme'],
  [5, 'fifth|fünfte[rnsm]?|cinquième|cinquieme'],
  [6, 'sixth|sechste[rnsm]?|sixième|sixieme'],
  [7, 'seventh|siebte[rnsm]?|septième|septieme'],
  [8, 'eighth|achte[rnsm]?|huitième|huitieme'],
  [9, 'ninth|neunte[rnsm]?|neuvième|neuvieme'],
  [10, 'tenth|zehnte[rnsm]?|dixième|dixieme'],
];
// Only after an article ("the first", "der erste", "la première"): a bare "First, sorry for…"
// is not a slot.
const ARTICLE = "the|der|die|das|den|dem|le|la|les|l'";
const ORDINAL_WORDS = ORDINALS.map(([n, list]) =>
  [n, new RegExp(`(?<![\\p{L}\\p{N}])(?:${ARTICLE})\\s*(?:${list})(?![\\p{L}\\p{N}])`, 'gu')] as const);
// A clock time ("3pm", "15 Uhr", "15h") is a time even though the strict rules call it a unit.
const TIME_OF_DAY = /\d\s*(?:am|pm|a\.m|p\.m|uhr|h|o'?clock)(?![\p{L}])/u;
// A weekday or month name is a signal of its own in the natural reading ("Thursday works").
const WHEN_WORDS = words(
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|' +
    'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|noon|midday|mittag|midi|' +
    'january|february|march|april|june|july|august|september|october|november|december|' +
    'januar|februar|märz|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre',
);
// "all but 2", "everything except 2", "alle außer 2", "alle bis auf 2", "tous sauf 2".
const ALL_BUT = new RegExp(
  `^(?:.{0,20}?\\s)?${ALL.source}(?: of them| the slots)?,? (?:but|except(?: for)?|excluding|besides|außer|ausser|bis auf|sauf|excepté|hormis|sans) (.*)$`,
  'u',
);
// "not 2", "nicht 2", "pas le 2", "sauf le 2" at the start of the deciding line.
const NOT_LEAD = /^(?:not|nicht|pas|sauf|außer|ausser|except)(?: (?:slot|option|number|nummer|le|la|les|die|der|das|n(?:o|r)?\.?))? (.*)$/u;
// After an exclusion, only numbers and an apology or "works" may follow: anything else ("but
// maybe 3") would make it mean two things.
const EXCLUSION_TAIL = /^[\s,.;!]*(?:(?:sorry|leider|désolée?|desolee?|sadly|unfortunately|work|works|is fine|are fine|passen|passt|geht|gehen|me vont|me va|vont|va|for me|für mich|pour moi|ok|okay)[\s,.;!]*)*$/u;

function ordinalsToNumbers(l: string): string {
  let out = l;
  for (const [n, re] of ORDINAL_WORDS) out = out.replace(re, String(n));
  return out;
}

/** "2, 4-5" (then only an allowed tail) → numbers; null when anything else follows. */
function excludedNumbers(rest: string, maxNumber: number): number[] | Selection | null {
  const m = /^((?:#?\d+(?:\s*(?:-|to|bis)\s*#?\d+)?(?:\s*(?:,|;|&|\+|and|und|et|or|oder|ou|nor)\s*)?)+)(.*)$/u.exec(rest.trim());
  if (!m || !EXCLUSION_TAIL.test(m[2]!)) return null;
  const read = interpret(m[1]!, maxNumber);
  return read.kind === 'numbers' ? read.numbers : read;
}

function interpretNatural(line: string, original: string, maxNumber: number): NaturalSelection {
  // Articles before numbers ("the 1 and the 3", "le 1 et le 3") are words around numbers.
  const l = line.replace(/(?<![\p{L}])(?:the|die|der|das|den|dem|le|la|les|l')\s*(?=\d)/gu, '');
  const allBut = ALL_BUT.exec(l) ?? NOT_LEAD.exec(l);
  if (allBut) {
    const rest = allBut.at(-1)!;
    const excluded = excludedNumbers(rest, maxNumber);
    if (excluded === null) return fail('an exclusion followed by more than numbers');
    return Array.isArray(excluded) ? { kind: 'allBut', numbers: excluded } : excluded;
  }
  const plain = interpret(l, maxNumber);
  if (plain.kind !== 'unparseable') return plain;
  const timeLike = NUMERIC_CONTEXT.some(([re, reason]) => re.test(l) && !/unit$/.test(reason)) || WHEN_WORDS.test(l) || TIME_OF_DAY.test(l);
  if (!timeLike) return plain;
  if (NEGATION.test(l)) return fail('a day or time with a negation');
  // "All good, see you Thursday" is no proposal; "none of these, could we do Friday 3pm?" is one.
  if (ALL.test(l)) return fail('"all" with a day or time');
  return { kind: 'when', text: original };
}
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

/**
 * Reads a party's answer. Pure; never throws; options.maxNumber defaults to MAX_SLOT_NUMBER.
 * With `natural`, also ordinals, exclusion and days/times (SPEC §12).
 */
export function parseSelection(text: string, options?: SelectionOptions & { natural?: false }): Selection;
export function parseSelection(text: string, options: SelectionOptions & { natural: true }): NaturalSelection;
export function parseSelection(text: string, options: SelectionOptions = {}): NaturalSelection {
  const maxNumber = options.maxNumber ?? MAX_SLOT_NUMBER;
  if (typeof text !== 'string' || text.trim() === '') return fail('empty reply');
  const raw = text.split(/\r?\n/).map((line) => ({ line: prepare(line), original: line.trim() })).filter((l) => l.line !== '');
  const lines = raw.map((l) => options.natural ? ordinalsToNumbers(l.line) : l.line);
  // Note: greetings are dropped before counting, so "Hi," does not use up a line.
  const top = lines.slice(0, LINES_CONSIDERED);
  const signal = options.natural ? (l: string) => hasSignal(l) || WHEN_WORDS.test(l) : hasSignal;
  const at = top.findIndex(signal);
  if (at < 0) return fail(top.length === 0 ? 'empty reply' : 'no slot numbers, "all" or "none" found');
  let chosen = top[at]!;
  if (ONLY_NUMBERS.test(chosen)) {
    for (const next of lines.slice(at + 1)) {
      if (!ONLY_NUMBERS.test(next) || !/\d/.test(next)) break;
      chosen += `, ${next}`;
    }
  }
  return options.natural ? interpretNatural(chosen, raw[at]!.original, maxNumber) : interpret(chosen, maxNumber);
}

/** Short human form for acknowledgments and logs: "1, 3", "all", "none". */
export function formatSelection(selection: NaturalSelection): string {
  switch (selection.kind) {
    case 'numbers':
      return selection.numbers.join(', ');
    case 'allBut':
      return `all but ${selection.numbers.join(', ')}`;
    case 'when':
      return `when: ${selection.text}`;
    case 'unparseable':
      return `unparseable (${selection.reason})`;
    default:
      return selection.kind;
  }
}
