// Screen text for events, slots and log entries. Times are shown in the terminal's time zone
// (TZ), with the offset spelled out, since the API speaks UTC only.
import { parseBegin, parseDuration, slotSpan } from '../../domain/slots.js';
import { lengthLabel } from '../../domain/time-labels.js';
import { table, truncate } from '../table.js';
import type { EventJson, LogJson, SlotJson } from './api.js';

// C0, DEL and C1 controls. The server refuses them in what it is sent, but log data also comes
// from e-mail and from older data: printed raw, ESC [ … would drive the user's terminal.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line of server text made safe to print: every control character becomes U+FFFD. */
export function printable(text: string): string {
  return text.replace(CONTROLS, '\ufffd');
}

/** Several lines of server text (e.g. an error's field messages): each made printable. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

interface Local { day: string; date: string; time: string; zone: string }

// Zone offsets in use are whole minutes, so the UTC seconds are the local ones.
function local(date: Date, seconds = date.getUTCSeconds() !== 0): Local {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    ...(seconds && { second: '2-digit' }), hourCycle: 'h23', timeZoneName: 'shortOffset',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}${seconds ? `:${get('second')}` : ''}`;
  return { day: get('weekday'), date: `${get('year')}-${get('month')}-${get('day')}`, time, zone: get('timeZoneName').replace(/^GMT(\+0)?$/, 'UTC').replace(/^GMT/, 'UTC') };
}

/**
 * "Tue 2031-03-11 14:00–15:30 UTC (1 h 30 min)"; the end gets its own date past midnight, and
 * a time shows its seconds when they are not zero. Read with the domain's own parsers.
 */
export function formatSlot(slot: SlotJson): string {
  const beginUs = parseBegin(slot.begin);
  const durationUs = parseDuration(slot.duration);
  if (beginUs === null || durationUs === null) return printable(`${slot.begin} (${slot.duration})`);
  const { beginMs, durationMs } = slotSpan({ beginUs, durationUs });
  const b = local(new Date(beginMs));
  const e = local(new Date(beginMs + durationMs));
  const end = e.date === b.date ? e.time : `${e.day} ${e.date} ${e.time}`;
  return `${b.day} ${b.date} ${b.time}–${end} ${b.zone} (${lengthLabel(Math.floor(durationMs / 1000))})`;
}

/** A UTC instant of the API ("2031-03-10T18:00:00Z") in the terminal's zone: "Mon 2031-03-10 19:00 UTC+1". */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return printable(iso);
  const l = local(new Date(ms));
  return `${l.day} ${l.date} ${l.time} ${l.zone}`;
}

export function numberedSlots(slots: SlotJson[], indent = '  '): string {
  if (!slots.length) return `${indent}(no slots)`;
  const width = String(slots.length).length;
  return slots.map((s, i) => `${indent}${String(i + 1).padStart(width)}. ${formatSlot(s)}`).join('\n');
}

export function eventList(events: EventJson[]): string {
  if (!events.length) return 'No events yet. Create one with c.';
  const rows = events.map((e) => [String(e.id), printable(e.status), String(e.slots.length), truncate(printable(e.title), 36), truncate(printable(e.parties.join(', ')), 50)]);
  return table(['ID', 'STATUS', 'SLOTS', 'TITLE', 'PARTIES'], rows);
}

const sameSlot = (a: SlotJson, b: SlotJson) => a.begin === b.begin && a.duration === b.duration;

export function eventDetail(e: EventJson): string {
  const lines = [
    `Event ${e.id}: ${printable(e.title)}  [${printable(e.status)}]`,
    `  owner:   ${printable(e.owner)}`,
    `  parties: ${printable(e.parties.join(', '))}`,
    ...(e.respond_by ? [`  answer by: ${formatInstant(e.respond_by)}`] : []),
    '  slots:',
    numberedSlots(e.slots, '    '),
  ];
  // A party's latest answer, as numbers of the current list (SPEC §7).
  const answers = Object.entries(e.answers ?? {});
  if (answers.length) {
    lines.push('  answers:');
    for (const [party, chosen] of answers) {
      const numbers = chosen.map((c) => e.slots.findIndex((s) => sameSlot(s, c)) + 1).filter((n) => n > 0);
      lines.push(`    ${printable(party)}: ${numbers.length ? numbers.join(', ') : 'none of the current slots'}`);
    }
  }
  return lines.join('\n');
}

function dataText(data: Record<string, unknown>): string {
  return printable(Object.entries(data)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' '));
}

export function logText(id: number, log: LogJson): string {
  if (!log.entries.length) return `Event ${id}: the log is empty.`;
  const rows = log.entries.map((x) => {
    const w = local(new Date(x.when), true);
    return [`${w.date} ${w.time} ${w.zone}`, printable(x.occurrence), printable(x.effector ?? '-'), `${x.slots.length} slot${x.slots.length === 1 ? '' : 's'}`, dataText(x.data)];
  });
  return `Log of event ${id} (parties: ${printable(log.parties.join(', '))})\n${table(['WHEN', 'WHAT', 'WHO', 'SLOTS', 'DETAILS'], rows, '  ')}`;
}
