// The organizer's one-line commands in a reply (SPEC §10, §11). `book N`: book time N of the
// list in the mail answered (§5 numbers). Read before the party grammar, so "book 2" is never
// taken for an answer keeping slot 2; whether the sender may book is the domain's rule (the
// owner's token only; a party gets the help reply).

/** `number` null: "book" without a readable number (answered with BOOK_USAGE). */
export interface BookCommand {
  number: number | null;
}

export const BOOK_USAGE = 'To book a time, reply "book N", with N the number of a time in the list below.';

const BOOK_WORD = /^book\b/i;
const BOOK_N = /^book\s*(?:#|no\.?|number)?\s*(\d{1,3})\s*[.!]?$/i;

/** The command on the first non-empty line of the reply's new text, or null when it is not `book`. */
export function readBookCommand(reply: string): BookCommand | null {
  const line = reply.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0);
  if (!line || !BOOK_WORD.test(line)) return null;
  const m = BOOK_N.exec(line);
  return { number: m ? Number(m[1]) : null };
}
