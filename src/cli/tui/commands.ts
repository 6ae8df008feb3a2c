// The TUI commands of the seed: l c d[n] p[n] n[n] g[n] ? (q is handled by the loop), and b[n] (SPEC §11).
import type { LineReader } from '../line-reader.js';
import type { ApiClient, SlotJson } from './api.js';
import { eventDetail, eventList, logText, numberedSlots, printable } from './format.js';
import { chooseSlots, parseParties, parseSlotLine } from './input.js';

export interface Session {
  api: ApiClient;
  io: LineReader;
  print: (text: string) => void;
  /** The event of the last d/p/n/g/c, used when a command comes without a number. */
  lastId: number | null;
}

export const HELP = `Commands (n = event id; without it, the last event used):
  l      list your events
  c      create an event (title, parties, slots one per line)
  d[n]   show event n with its numbered slots
  p[n]   keep some slots of event n (by number) and drop the others
  b[n]   book one slot of event n (organizer or staff): confirmed, everyone invited
  n[n]   notify all parties of event n with its current slots
  g[n]   show the log of event n
  ?      this help
  q      quit`;

export const SLOT_EXAMPLE = '2031-03-11T14:00+01:00 01:30';

type Command = (s: Session, id: number) => Promise<void>;

const detail: Command = async (s, id) => {
  s.print(eventDetail(await s.api.get(id)));
};

const patch: Command = async (s, id) => {
  const event = await s.api.get(id);
  s.print(`Event ${id}: ${printable(event.title)}\n${numberedSlots(event.slots)}`);
  if (!event.slots.length) return s.print('There are no slots to keep.');
  const answer = await s.io.ask('keep which numbers? (e.g. 1,3) ');
  if (answer === null || !answer.trim()) return s.print('Nothing changed.');
  const chosen = chooseSlots(answer, event.slots.length);
  if (typeof chosen === 'string') return s.print(`${chosen} Nothing changed.`);
  const updated = await s.api.patch(id, { slots: chosen.map((n) => event.slots[n - 1]!) });
  s.print(`Kept ${updated.slots.length} of ${event.slots.length} slots.\n${eventDetail(updated)}`);
};

const book: Command = async (s, id) => {
  const event = await s.api.get(id);
  s.print(`Event ${id}: ${printable(event.title)}  [${printable(event.status)}]\n${numberedSlots(event.slots)}`);
  if (!event.slots.length) return s.print('There are no slots to book.');
  const answer = await s.io.ask('book which number? ');
  if (answer === null || !answer.trim()) return s.print('Nothing booked.');
  const n = /^\s*(\d{1,3})\s*$/.exec(answer) ? Number(answer) : 0;
  if (n < 1 || n > event.slots.length) return s.print(`Write one number from 1 to ${event.slots.length}. Nothing booked.`);
  const booked = await s.api.confirm(id, event.slots[n - 1]!);
  s.print(`Booked slot ${n}: the event is confirmed and every party gets the invitation.\n${eventDetail(booked)}`);
};

const notify: Command = async (s, id) => {
  const event = await s.api.get(id);
  const r = await s.api.notify(id, { parties: event.parties, slots: event.slots });
  s.print(`Notified ${printable(r.recipients.join(', '))} with ${event.slots.length} slot${event.slots.length === 1 ? '' : 's'}.`);
};

const log: Command = async (s, id) => {
  s.print(logText(id, await s.api.log(id)));
};

const withId: Record<string, Command> = { d: detail, p: patch, b: book, n: notify, g: log };

async function create(s: Session): Promise<void> {
  const title = await s.io.ask('Title (empty: a generated word): ');
  if (title === null) return;
  const partyLine = await s.io.ask('Parties (e-mail addresses, comma-separated): ');
  if (partyLine === null) return;
  s.print(`Slots, one per line as BEGIN DURATION (e.g. ${SLOT_EXAMPLE}); an empty line ends.`);
  const slots: SlotJson[] = [];
  for (;;) {
    const line = await s.io.ask(`slot ${slots.length + 1}: `);
    if (line === null) return s.print('Input ended; nothing created.');
    if (!line.trim()) break;
    const slot = parseSlotLine(line);
    if (slot) slots.push(slot);
    else s.print(`Write BEGIN DURATION, e.g. ${SLOT_EXAMPLE}`);
  }
  const event = await s.api.create({ title: title.trim(), parties: parseParties(partyLine), slots });
  s.lastId = event.id;
  s.print(`Created event ${event.id}.\n${eventDetail(event)}`);
}

/** Runs one input line. Returns false for quit. API errors propagate to the loop. */
export async function runCommand(s: Session, line: string): Promise<boolean> {
  const m = /^([a-z?])\s*(\d+)?$/i.exec(line.trim());
  const letter = m?.[1]?.toLowerCase();
  const number = m?.[2] === undefined ? undefined : Number(m[2]);
  if (letter === 'q' && number === undefined) return false;
  if (letter === '?' && number === undefined) s.print(HELP);
  else if (letter === 'l' && number === undefined) s.print(eventList(await s.api.list()));
  else if (letter === 'c' && number === undefined) await create(s);
  else if (letter && withId[letter]) {
    const id = number ?? s.lastId;
    if (id === null) s.print(`Which event? Write ${letter}<id>, e.g. ${letter}1 (l lists the ids).`);
    else {
      await withId[letter]!(s, id);
      s.lastId = id; // only once the event proved to exist and be visible
    }
  } else if (line.trim()) s.print(`Unknown command "${line.trim()}". Type ? for help.`);
  return true;
}
