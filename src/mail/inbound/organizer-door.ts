// The organizer's one-line commands by reply with their own event token (SPEC §10): each word
// maps to the same domain operation another door uses. Only the event's owner may use them;
// anyone else's command gets the ordinary help reply (dispatch.ts). Issue 12 adds `book N` and
// `remind` here and to ORGANIZER_COMMANDS (domain/events/organizer-commands.ts).
import { cancelEvent } from '../../domain/events/cancel-event.js';
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
  /** The text after the command word. */
  rest: string;
  /** The numbered list of the mail answered (null: the stored list). */
  mailList: SlotView[] | null;
  details: NonNullable<MailPayload['details']>;
  helpPerHour: number;
}

type Handler = (r: OrganizerRequest) => Promise<InboundOutcome>;

const applied = (reason: string, eventId: number, recorded = true): InboundOutcome => ({ status: 'applied', reason, eventId, recorded });

/** Reads `add`'s times in the organizer's zone: the Date header's offset, else DEFAULT_TIMEZONE. */
function timesOf(r: OrganizerRequest) {
  const now = r.deps.clock.now();
  const sent = r.mail.date ? Date.parse(r.mail.date) : NaN;
  const zone = (r.mail.date && zoneOfDateHeader(r.mail.date)) || r.deps.config.defaultTimeZone;
  return readPlainTimes(r.rest, { reference: Number.isNaN(sent) ? now : new Date(sent), zone, defaultMinutes: r.deps.config.defaultSlotMinutes, now });
}

export async function organizerHelpOutcome(r: Omit<OrganizerRequest, 'rest'>, problem?: string): Promise<InboundOutcome> {
  const sent = await organizerHelp(r.deps, r.ctx, r.event.id, { ...r.details, ...(problem && { problem }) }, r.helpPerHour);
  return { status: sent ? 'answered' : 'ignored', reason: `organizer help${problem ? `: ${problem}` : ''}${sent ? '' : ' (rate-limited)'}`, eventId: r.event.id, recorded: true };
}

const HANDLERS: Record<string, Handler> = {
  async add(r) {
    const times = timesOf(r);
    if (!times.slots.length) {
      const unused = [...times.unreadable, ...times.refused.map((x) => `${x.line} (${x.reason})`)];
      return organizerHelpOutcome(r, `No time could be read after "add"${unused.length ? `: ${unused.join('; ')}` : ''}.`);
    }
    await editSlotsAsOrganizer(r.deps, r.ctx, r.event.id, { kind: 'add', slots: times.slots }, r.details);
    return applied(`organizer add: ${times.slots.length} time(s)`, r.event.id);
  },
  async remove(r) {
    const selection = parseSelection(r.rest);
    if (selection.kind !== 'numbers') return organizerHelpOutcome(r, 'Write the numbers to remove after "remove", e.g. "remove 2".');
    await editSlotsAsOrganizer(r.deps, r.ctx, r.event.id, { kind: 'remove', numbers: selection.numbers, list: r.mailList }, r.details);
    return applied(`organizer remove ${selection.numbers.join(',')}`, r.event.id);
  },
  async cancel(r) {
    const owner = await r.deps.users.findByEmail(r.event.ownerEmail);
    if (!owner) return organizerHelpOutcome(r);
    // The owner's token stands for the owner: the same DELETE as theirs over HTTP.
    await cancelEvent(r.deps, { ...r.ctx, actor: { kind: 'user', user: owner } }, r.event.id);
    return applied('organizer cancel', r.event.id, false);
  },
  help: (r) => organizerHelpOutcome(r),
};

// Every command help lists has its handler (checked once, at load).
for (const c of ORGANIZER_COMMANDS) if (!HANDLERS[c.word]) throw new Error(`organizer command ${c.word} has no handler`);

/** The command word and the rest, when the reply's first line starts with one. */
export function organizerCommandOf(text: string | null): { word: string; rest: string } | null {
  const body = (text ?? '').trim();
  const m = /^([a-z]+)\b\s*([\s\S]*)$/i.exec(body);
  if (!m || !HANDLERS[m[1]!.toLowerCase()]) return null;
  return { word: m[1]!.toLowerCase(), rest: m[2]!.trim() };
}

export function runOrganizerCommand(word: string, r: OrganizerRequest): Promise<InboundOutcome> {
  return HANDLERS[word]!(r);
}
