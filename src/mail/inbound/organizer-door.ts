// The organizer's one-line commands by reply with their own event token (SPEC §10, §11): each
// word maps to the same domain operation another door uses; the one table of commands (help
// lists ORGANIZER_COMMANDS, domain/events/organizer-commands.ts, each with its handler here).
// Read before the party grammar, so "book 2" is never taken for an answer keeping slot 2.
// `book` and `remind` are read in anyone's reply: the domain decides who may (a party is told
// only the organizer may, reply-error.ts). The others only in the owner's; anyone else's
// `cancel` is a party's reply (the ordinary help reply).
import { bookSlot } from '../../domain/events/book-slot.js';
import { cancelEvent } from '../../domain/events/cancel-event.js';
import { loadEvent } from '../../domain/events/load-event.js';
import { remindNow } from '../../domain/events/remind-now.js';
import { editSlotsAsOrganizer, organizerHelp } from '../../domain/events/organizer-slots.js';
import { ORGANIZER_COMMANDS } from '../../domain/events/organizer-commands.js';
import { readPlainTimes, zoneOfDateHeader } from '../../domain/plain-times.js';
import { parseSelection } from '../../domain/selection.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps, EventRecord } from '../../domain/ports.js';
import type { MailPayload, SlotView } from '../../domain/notification.js';
import type { InboundOutcome } from './ports.js';
import type { MailFacts } from './read-mail.js';

export interface OrganizerRequest {
  deps: Deps;
  ctx: ActionContext;
  event: EventRecord;
  mail: MailFacts;
  /** The command word (lower case). */
  word: string;
  /** The text after the word on its line. */
  line: string;
  /** All the text after the word. */
  rest: string;
  /** The numbered list of the mail answered (null: the stored list). */
  mailList: SlotView[] | null;
  details: NonNullable<MailPayload['details']>;
  helpPerHour: number;
}

export type CommandText = Pick<OrganizerRequest, 'word' | 'line' | 'rest'>;

type Handler = (r: OrganizerRequest) => Promise<InboundOutcome>;

interface Command {
  run: Handler;
  /** Read in anyone's reply, the domain refusing a party (else only in the owner's). */
  anyone?: boolean;
  /** A command only when the word stands alone on its line ("remind me later" is prose). */
  alone?: boolean;
}

export const BOOK_USAGE = 'To book a time, reply "book N", with N the number of a time in the list below.';
const BOOK_N = /^(?:#|no\.?|number)?\s*(\d{1,3})\s*[.!]?$/i;

const applied = (reason: string, eventId: number, recorded = true): InboundOutcome => ({ status: 'applied', reason, eventId, recorded });

/** Reads `add`'s times in the organizer's zone: the Date header's offset, else DEFAULT_TIMEZONE. */
function timesOf(r: OrganizerRequest) {
  const now = r.deps.clock.now();
  const sent = r.mail.date ? Date.parse(r.mail.date) : NaN;
  const zone = (r.mail.date && zoneOfDateHeader(r.mail.date)) || r.deps.config.defaultTimeZone;
  return readPlainTimes(r.rest, { reference: Number.isNaN(sent) ? now : new Date(sent), zone, defaultMinutes: r.deps.config.defaultSlotMinutes, now });
}

export async function organizerHelpOutcome(r: Omit<OrganizerRequest, keyof CommandText>, problem?: string): Promise<InboundOutcome> {
  const sent = await organizerHelp(r.deps, r.ctx, r.event.id, { ...r.details, ...(problem && { problem }) }, r.helpPerHour);
  return { status: sent ? 'answered' : 'ignored', reason: `organizer help${problem ? `: ${problem}` : ''}${sent ? '' : ' (rate-limited)'}`, eventId: r.event.id, recorded: true };
}

const COMMANDS: Record<string, Command> = {
  book: { anyone: true, async run(r) {
    const m = BOOK_N.exec(r.line);
    if (!m) {
      // Who may book is the domain's rule: a party is told only the organizer books (not_organizer).
      await loadEvent(r.deps, r.ctx.actor, r.event.id, 'book');
      return organizerHelpOutcome(r, BOOK_USAGE);
    }
    const number = Number(m[1]);
    await bookSlot(r.deps, r.ctx, r.event.id, { number, list: r.mailList });
    return applied(`booked ${number}`, r.event.id);
  } },
  remind: { anyone: true, alone: true, async run(r) {
    // The outcome is written with the reminders (ctx.inboundId).
    const { reminded } = await remindNow(r.deps, r.ctx, r.event.id);
    return applied(reminded.length ? `reminded ${reminded.join(', ')}` : 'remind: nobody left to remind', r.event.id);
  } },
  add: { async run(r) {
    const times = timesOf(r);
    if (!times.slots.length) {
      const unused = [...times.unreadable, ...times.refused.map((x) => `${x.line} (${x.reason})`)];
      return organizerHelpOutcome(r, `No time could be read after "add"${unused.length ? `: ${unused.join('; ')}` : ''}.`);
    }
    await editSlotsAsOrganizer(r.deps, r.ctx, r.event.id, { kind: 'add', slots: times.slots }, r.details);
    return applied(`organizer add: ${times.slots.length} time(s)`, r.event.id);
  } },
  remove: { async run(r) {
    const selection = parseSelection(r.rest);
    if (selection.kind !== 'numbers') return organizerHelpOutcome(r, 'Write the numbers to remove after "remove", e.g. "remove 2".');
    await editSlotsAsOrganizer(r.deps, r.ctx, r.event.id, { kind: 'remove', numbers: selection.numbers, list: r.mailList }, r.details);
    return applied(`organizer remove ${selection.numbers.join(',')}`, r.event.id);
  } },
  cancel: { async run(r) {
    const owner = await r.deps.users.findByEmail(r.event.ownerEmail);
    if (!owner) return organizerHelpOutcome(r);
    // The owner's token stands for the owner: the same DELETE as theirs over HTTP.
    await cancelEvent(r.deps, { ...r.ctx, actor: { kind: 'user', user: owner } }, r.event.id);
    return applied('organizer cancel', r.event.id, false);
  } },
  help: { run: (r) => organizerHelpOutcome(r) },
};

// One table: every command help lists has its handler, and every handler is listed (checked once, at load).
for (const c of ORGANIZER_COMMANDS) if (!COMMANDS[c.word]) throw new Error(`organizer command ${c.word} has no handler`);
for (const word of Object.keys(COMMANDS)) if (!ORGANIZER_COMMANDS.some((c) => c.word === word)) throw new Error(`organizer command ${word} is not listed`);

/**
 * The command word and what follows it (`line`: on its own line; `rest`: all of it), when the
 * reply's first line starts with one that `sender` may be read as giving (the owner: every
 * command; anyone else: those the domain refuses them itself).
 */
export function organizerCommandOf(text: string | null, sender: 'owner' | 'other'): CommandText | null {
  const body = (text ?? '').trim();
  const m = /^([a-z]+)\b([^\r\n]*)([\s\S]*)$/i.exec(body);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const command = Object.hasOwn(COMMANDS, word) ? COMMANDS[word]! : null;
  if (!command || (sender !== 'owner' && !command.anyone)) return null;
  const line = m[2]!.trim();
  if (command.alone && line !== '') return null;
  return { word, line, rest: (m[2]! + m[3]!).trim() };
}

export function runOrganizerCommand(command: CommandText, r: Omit<OrganizerRequest, keyof CommandText>): Promise<InboundOutcome> {
  return COMMANDS[command.word]!.run({ ...r, ...command });
}
