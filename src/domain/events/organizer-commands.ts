// The organizer's one-line replies (SPEC §10, §11): what the help reply lists. The mail door maps
// each word to its operation (mail/inbound/organizer-door.ts, checked at load against this list).
export interface OrganizerCommand {
  word: string;
  usage: string;
  does: string;
}

export const ORGANIZER_COMMANDS: readonly OrganizerCommand[] = [
  { word: 'book', usage: 'book N', does: 'books time N of the list in the mail you answer: the meeting is confirmed and every party gets the invitation' },
  { word: 'remind', usage: 'remind', does: 'sends the next reminder now to every party who has not answered' },
  { word: 'add', usage: 'add <times>', does: 'offers more times, e.g. "add Fri 14 Mar 10:00; Mar 15 9:30 for 45 min"; every party gets the new list' },
  { word: 'remove', usage: 'remove N', does: 'takes slot N (or N, M, ...) off the list; every party gets the new list' },
  { word: 'cancel', usage: 'cancel', does: 'cancels the meeting (parties who got an invite get its cancellation)' },
  { word: 'help', usage: 'help', does: 'sends you this list' },
];

/** The commands as the organizer-help mail lists them. */
export function organizerCommandList(): { usage: string; does: string }[] {
  return ORGANIZER_COMMANDS.map(({ usage, does }) => ({ usage, does }));
}
