// The one-word answers to a draft summary (SPEC §10), in the languages the times are read in:
// the first word of the reply's first line, when that line is short (a sentence is read as
// times, or gets the summary again). Pure.
export type DraftWord = 'send' | 'cancel' | 'help';

const WORDS: Record<string, DraftWord> = {
  send: 'send', yes: 'send', ok: 'send', okay: 'send', ja: 'send', senden: 'send', oui: 'send', envoyer: 'send', envoie: 'send',
  cancel: 'cancel', abbrechen: 'cancel', verwerfen: 'cancel', annuler: 'cancel', drop: 'cancel',
  help: 'help', hilfe: 'help', aide: 'help',
};

export function draftWordOf(text: string | null): DraftWord | null {
  const line = (text ?? '').split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  const words = line.toLowerCase().split(/[\s,.;:!?]+/u).filter(Boolean);
  if (!words.length || words.length > 4) return null;
  return WORDS[words[0]!] ?? null;
}
