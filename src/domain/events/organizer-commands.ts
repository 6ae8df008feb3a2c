// The organizer's one-line replies (SPEC §10): what the help reply lists. The mail door maps
// each word to its operation (mail/inbound/organizer-door.ts); a command is listed here once
// it exists there. Issue 12 adds `book N` and `remind` to both tables.
export interface OrganizerCommand {
  word: string;
  usage: string;
  does: string;
}

export const ORGANIZER_COMMANDS: readonly OrganizerCommand[] = [
  { word: 'add', usage: 'add <times>', does: 'offers more times, e.g. "add Fri 14 Mar 10:00; Mar 15 9:30 for 45 min"; every party gets the new list' },
  { word: 'remove', usage: 'remove N', does: 'takes slot N (or N, M, ...) off the list; every party gets the new list' },
  { word: 'cancel', usage: 'cancel', does: 'cancels the meeting (parties who got an invite get its cancellation)' },
  { word: 'help', usage: 'help', does: 'sends you this list' },
];

/** The commands as the organizer-help mail lists them. */
export function organizerCommandList(): { usage: string; does: string }[] {
  return ORGANIZER_COMMANDS.map(({ usage, does }) => ({ usage, does }));
}
