// Plain-text rules for what email-reply-parser misses (MAIL-NOTES §1 table): Outlook header
// blocks without "<email>" or ">" quoting, "-----Original Message-----", quote headers wrapped
// over several lines or in languages it lacks, mobile footers, closings without "-- ".
// Inline and bottom posting survive: only ">" lines and attributions above them are dropped.

export interface TextCut {
  reply: string;
  elided: string[];
}

// "-----Original Message-----" and forward separators, in the languages clients localize them to.
const SEPARATOR =
  /^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|oprindelig meddelelse|opprinnelig melding|originalmeddelande|alkuperäinen viesti|исходное сообщение|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{2,}\s*$/i;
const FORWARD_INTRO = /^\s*(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|inicio del mensaje reenviado)\s*:\s*$/i;
// An Outlook header block: a From line and, within the next lines, a Sent/Date/To/Subject line.
const HEADER_FROM = /^\s*\*?(?:from|von|de|da|van|från|fra|od|от|发件人|寄件者|差出人|보낸 사람)\s*\*?\s*[:：]/i;
const HEADER_OTHER =
  /^\s*\*?(?:sent|date|to|subject|gesendet|datum|an|betreff|envoyé|à|objet|enviado|fecha|para|asunto|inviato|data|oggetto|verzonden|aan|onderwerp|skickat|till|ämne|发送时间|日期|收件人|主题|送信日時|宛先|件名|보낸 날짜|받는 사람|제목)\s*\*?\s*[:：]/i;
// Attribution lines ("On … wrote:"), possibly wrapped by the client over up to three lines.
const ATTRIBUTION_START = /^\s*(?:on|am|le|el|il|em|op|den|w dniu|pe)\s/i;
const ATTRIBUTION = [
  /^\s*on\s.{0,300}\swrote\s*:?\s*$/i,
  /^\s*am\s.{0,300}\sschrieb\s.{0,300}:\s*$/i,
  /^\s*le\s.{0,300}\sa\s+écrit\s*:?\s*$/i,
  /^\s*el\s.{0,300}\sescribió\s*:?\s*$/i,
  /^\s*il\s.{0,300}\sha\s+scritto\s*:?\s*$/i,
  /^\s*(?:em|op|den|w dniu|pe)\s.{0,300}\s(?:escreveu|schreef|skrev|napisał\(a\)|napisał|kirjoitti)\b.{0,300}:\s*$/i,
];
// Single-line attributions that begin with a date or a name (tested on lines < 400 chars only).
const ATTRIBUTION_LINE = [
  /のメッセージ\s*[:：]\s*$/,
  /^\s*\d{4}年\d{1,2}月\d{1,2}日.*[:：]\s*$/, // Gmail ja: "2031年3月4日(火) 9:00 Bot <bot@x>:"
  /写道\s*[:：]\s*$/,
  /작성\s*[:：]\s*$/,
  /^(?=.*[@\d]).*\swrote\s*:\s*$/i, // "Bot <bot@x> wrote:", "… at 9:00, Bot wrote:"
  /^\*\s.*\[\d{4}-\d{2}-\d{2}[^\]]*\]\s*:\s*$/, // Mutt's popular "* Bot <bot@x> [2031-03-04 09:00]:"
];
// Our own numbered slot list, unquoted, is history: "1. Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)"
// (src/domain/time-labels.ts) or the older "1. Tue 2031-03-11 14:00 UTC (1 h)".
const SLOT_LINE =
  /^\s*\d{1,2}\.\s+(?:mon|tue|wed|thu|fri|sat|sun)\s+(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-z]{3}\s+\d{4},?)\s+\d{1,2}:\d{2}\b/i;
const QUOTED = /^\s*>/;
const SIG_DELIMITER = /^(?:-- ?|--|_{2,})\s*$/;
const MOBILE_FOOTER =
  /^(?:sent from (?:my |mail for )|sent with |get outlook for |envoyé de mon |envoyé depuis |von meinem .{1,30} gesendet|gesendet von |enviado desde |inviato da |verzonden (?:vanaf|met) |skickat från |sendt fra |iphoneから送信|从我的.{1,20}发送|나의 .{1,20}에서 보냄)/i;
const CLOSING =
  /^(?:(?:best|kind|warm|many|warmest)(?: regards| wishes)?|regards|thanks(?: again| a lot)?|thank you|many thanks|cheers|all the best|sincerely|yours(?: truly)?|mit freundlichen grüßen|(?:viele|beste|liebe|schöne) grüße|grüße|lg|mfg|vg|cordialement|bien à vous|bonne (?:journée|soirée|fin de journée)|(?:bien )?amicalement|salutations|saludos|un saludo|atentamente|saluti|cordiali saluti|met vriendelijke groet(?:en)?|groeten|med vänliga hälsningar|hälsningar|mvh|よろしくお願いします。?|此致|감사합니다)[\s,.!]*$/i;

const nextNonEmpty = (lines: string[], from: number): number => {
  for (let i = from; i < lines.length; i++) if (lines[i]!.trim() !== '') return i;
  return -1;
};

/** Number of lines (1-3) forming an attribution starting at i, or 0. */
function attributionAt(lines: string[], i: number): number {
  const line = lines[i]!;
  if (line.length > 400) return 0;
  if (ATTRIBUTION_LINE.some((re) => re.test(line))) return 1;
  if (!ATTRIBUTION_START.test(line)) return 0;
  let joined = '';
  for (let n = 1; n <= 3 && i + n - 1 < lines.length; n++) {
    const part = lines[i + n - 1]!;
    if (n > 1 && (part.trim() === '' || QUOTED.test(part))) break;
    joined = n === 1 ? part : `${joined} ${part.trim()}`;
    if (ATTRIBUTION.some((re) => re.test(joined))) return n;
  }
  return 0;
}

/** True where unquoted history begins: everything from this line on is history. (Outlook's
 * "____" rule above its header block is taken as a signature delimiter, same effect.) */
function historyStarts(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (SEPARATOR.test(line) || FORWARD_INTRO.test(line) || SLOT_LINE.test(line)) return true;
  return HEADER_FROM.test(line) && lines.slice(i + 1, i + 6).some((l) => HEADER_OTHER.test(l));
}

export function stripTextQuotes(text: string): TextCut {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  const elided: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (historyStarts(lines, i)) {
      elided.push(lines.slice(i).join('\n'));
      break;
    }
    const attribution = attributionAt(lines, i);
    if (attribution > 0) {
      const next = nextNonEmpty(lines, i + attribution);
      if (next >= 0 && QUOTED.test(lines[next]!)) {
        // Quoted block follows: drop the attribution, the ">" lines go below; answers after stay.
        elided.push(lines.slice(i, i + attribution).join('\n'));
        i += attribution - 1;
        continue;
      }
      elided.push(lines.slice(i).join('\n')); // unquoted history follows the attribution
      break;
    }
    if (QUOTED.test(line)) {
      if (!/^\s*>\s*$/.test(line)) elided.push(line); // empty quote lines carry nothing
      continue;
    }
    const hasContent = kept.some((l) => l.trim() !== '');
    const trimmed = line.trim();
    if (SIG_DELIMITER.test(line) || (trimmed.length < 80 && MOBILE_FOOTER.test(trimmed)) || (hasContent && CLOSING.test(trimmed))) {
      // A signature ends the new text unless quoted answers follow (inline posting keeps going).
      const end = lines.findIndex((l, j) => j > i && QUOTED.test(l));
      const stop = end < 0 ? lines.length : end;
      elided.push(lines.slice(i, stop).join('\n'));
      i = stop - 1;
      continue;
    }
    kept.push(line);
  }
  return { reply: kept.join('\n').replace(/\n{3,}/g, '\n\n').trim(), elided };
}
