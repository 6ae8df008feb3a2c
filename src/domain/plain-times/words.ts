// Words that tell a time-like line from prose (en, de, fr), for what the date parser left over:
// a line whose leftover still holds a clock, a day or a month was not fully read, and is
// reported rather than half-taken.
const MONTHS = [
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'januar', 'jänner', 'februar', 'märz', 'maerz', 'juni', 'juli', 'oktober', 'dezember',
  'janvier', 'février', 'fevrier', 'mars', 'avril', 'juin', 'juillet', 'août', 'aout', 'septembre', 'octobre', 'novembre', 'décembre', 'decembre',
];
const SHORT_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'mai', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'okt', 'nov', 'dec', 'dez', 'mär', 'janv', 'févr', 'avr', 'juil', 'déc'];
const WEEKDAYS = [
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonnabend', 'sonntag',
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
];
const SHORT_WEEKDAYS = ['mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'mo', 'di', 'mi', 'do', 'fr', 'sa', 'so', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'];

const L = String.raw`(?<![\p{L}\d])`;
const R = String.raw`(?![\p{L}])`;
const TIME_LIKE = [
  // 14:00, 9.30 h, 15h, 15h30, 3pm, 10 Uhr
  new RegExp(String.raw`${L}\d{1,2}\s*[:h]\s*\d{2}${R}`, 'iu'),
  new RegExp(String.raw`${L}\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h)${R}`, 'iu'),
  // 31st, 2nd, 1er, 3e
  new RegExp(String.raw`${L}\d{1,2}(?:st|nd|rd|th|er|e|ème)${R}`, 'iu'),
  // 12.03., 12.03.2031, 11/03, 11/03/2031, 2031-03-11 (not "1.5M" or "2-3 people")
  new RegExp(String.raw`${L}(?:\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{1,2}-\d{1,2})(?!\d)`, 'u'),
  new RegExp(String.raw`${L}(?:${[...MONTHS, ...WEEKDAYS].join('|')})${R}`, 'iu'),
  // Abbreviations and "May" are ordinary words too: only next to a number.
  new RegExp(String.raw`${L}(?:${[...SHORT_MONTHS, ...SHORT_WEEKDAYS, 'may'].join('|')})\.?,?\s*\d`, 'iu'),
  new RegExp(String.raw`\d\.?\s*(?:${[...SHORT_MONTHS, 'may'].join('|')})${R}`, 'iu'),
  new RegExp(String.raw`${L}(?:noon|midnight|mittags?|mitternacht|midi|minuit)${R}`, 'iu'),
];

/** Whether a text still holds something that reads as a date or a time of day. */
export function looksLikeTime(text: string): boolean {
  return TIME_LIKE.some((re) => re.test(text));
}

/** What may stand between the items of a list of times: "Tue or Wed", "Dienstag, Mittwoch oder Donnerstag". */
export const LIST_JOINER = /^[\s,/&+|]*(?:(?:or|and|und|oder|bzw\.?|ou|et|sowie|or else)[\s,]*)?$/iu;

/** Results that are no candidate time: "Now that we are back…". */
export const NOT_A_TIME = /^(?:now|right now|jetzt|maintenant)$/iu;

// Relative words chrono reads without a digit, a day or a month name.
const RELATIVE = new RegExp(
  String.raw`${L}(?:today|tonight|tomorrow|yesterday|next|this|coming|week|weekend|month|heute|morgen|übermorgen|nächste[nmrs]?|kommende[nmrs]?|woche|wochenende|monat|aujourd|demain|après-demain|prochaine?|semaine|week-end|mois|ce\s+soir)${R}`,
  'iu',
);

/** Whether the date parser needs to look at a text at all: prose without any of these is skipped. */
export function mayHoldTime(text: string): boolean {
  return /\d/.test(text) || looksLikeTime(text) || RELATIVE.test(text);
}
