// Days and times a reply names ("Thursday works", "14:00 on the 11th", "Freitag 15 Uhr",
// "vendredi 15h"), read with chrono-node, the natural-language parser the time reader uses
// (SPEC §10, §12), in the languages of §10. Only what the writer actually said counts
// (chrono's isCertain): "Thursday" names a weekday, not a time, so it can match a slot at any
// hour of that day (events/reply-reading.ts). A time that fits no slot is read again, as a
// proposal, by plain-times.ts (lengths, ranges, zones). Pure; never throws.
import * as chrono from 'chrono-node';

/** What one mention says; an absent field was not said. Wall-clock values in the writer's zone. */
export interface Mention {
  text: string;
  weekday?: number;
  day?: number;
  month?: number;
  year?: number;
  hour?: number;
  minute?: number;
}

export interface ReadMentions {
  mentions: Mention[];
  /** The text with every mention blanked out (what else the writer said). */
  rest: string;
}

const PARSERS = [chrono.en.casual, chrono.de.casual, chrono.fr.casual];
const FIELDS = ['weekday', 'day', 'month', 'year', 'hour', 'minute'] as const;
// chrono reads "for 30 min" as "30 minutes from now"; a length is not a mention.
const LENGTH = /(?<![\p{L}])(?:for|für|pendant|pour)\s+\d+(?:[.,]\d+)?\s*(?:h|hours?|hrs?|min(?:ute)?s?|stunden?|minuten?|heures?)(?![\p{L}])/giu;
// A day of the month alone ("the 11th", "am 11.", "le 11"), which chrono misses or misreads as
// an hour ("le 11 à 14h" → 11:00); never followed by a month name (chrono reads those itself).
const DAY_OF_MONTH = /(?<![\p{L}\p{N}])(?:(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)|(\d{1,2})(?:st|nd|rd|th)|am\s+(\d{1,2})\.(?!\s*\d)|le\s+(\d{1,2})(?:er)?(?=\s+(?:à|a|vers)\s))(?![\p{L}\p{N}])/iu;

const blank = (text: string, index: number, length: number): string => text.slice(0, index) + ' '.repeat(length) + text.slice(index + length);

function parseBest(text: string, reference: Date): chrono.ParsedResult[] {
  let best: chrono.ParsedResult[] = [];
  let covered = 0;
  for (const parser of PARSERS) {
    const found = parser.parse(text, reference, { forwardDate: true });
    const n = found.reduce((sum, r) => sum + r.text.length, 0);
    if (n > covered) [best, covered] = [found, n];
  }
  return best;
}

/** The days and times named in `text`, read relative to `reference` (forward: "Friday" = the next one). */
export function readMentions(text: string, reference: Date): ReadMentions {
  try {
    let rest = text.slice(0, 2_000).replace(LENGTH, (m) => ' '.repeat(m.length));
    let dayOfMonth: number | undefined;
    const dom = DAY_OF_MONTH.exec(rest);
    if (dom) {
      dayOfMonth = Number(dom[1] ?? dom[2] ?? dom[3] ?? dom[4]);
      rest = blank(rest, dom.index, dom[0].length);
    }
    const mentions: Mention[] = [];
    for (const r of parseBest(rest, reference)) {
      const m: Mention = { text: r.text };
      for (const f of FIELDS) if (r.start.isCertain(f)) m[f] = r.start.get(f)!;
      mentions.push(m);
      rest = blank(rest, r.index, r.text.length);
    }
    if (dayOfMonth !== undefined && dayOfMonth >= 1 && dayOfMonth <= 31) {
      // "14:00 on the 11th": the day belongs to the time said with it (one mention without a day).
      const target = mentions.length === 1 && mentions[0]!.day === undefined ? mentions[0] : undefined;
      if (target) target.day = dayOfMonth;
      else mentions.push({ text: dom![0].trim(), day: dayOfMonth });
    }
    return { mentions, rest };
  } catch {
    return { mentions: [], rest: text };
  }
}
