// A line that sets the answer deadline (SPEC §11 respond_by) instead of proposing a time:
// "by Friday 5pm", "deadline: 14 March 12:00", "please respond by …", "bis Freitag 12 Uhr",
// "Frist: 14. März", "avant le 14 mars 12h", "date limite : …". Only at the start of a line, so
// "Tue 3pm, hosted by Bob" stays a candidate.
const DEADLINE_PREFIXES = [
  /^(?:please\s+|kindly\s+)?(?:(?:respond|reply|answer|vote|rsvp|get\s+back(?:\s+to\s+me)?)\s+)?(?:by|before|no\s+later\s+than)\b\s*:?/iu,
  /^(?:the\s+)?(?:deadline|respond\s+by|reply\s+by|rsvp)\b\s*(?:is\s+)?:?/iu,
  /^(?:bitte\s+)?(?:(?:antwort(?:en)?|rückmeldung|abstimmen|antwortet|antworte)\s+)?(?:bis|spätestens)\b\s*(?:zum|zur|am)?\s*:?/iu,
  /^(?:die\s+)?(?:frist|antwortfrist|deadline)\b\s*(?:ist\s+)?:?/iu,
  /^(?:merci\s+de\s+|veuillez\s+)?(?:(?:répondre|repondre|réponse|réponses|voter)\s+)?(?:avant|d'ici)\b\s*(?:le|la)?\s*:?/iu,
  /^(?:la\s+)?date\s+limite\b\s*(?:est\s+)?:?/iu,
];

/** The text after a deadline prefix, or null when the line is no deadline. */
export function deadlineText(line: string): string | null {
  for (const re of DEADLINE_PREFIXES) {
    const m = re.exec(line);
    if (m && m[0].trim() !== '') return line.slice(m[0].length);
  }
  return null;
}
