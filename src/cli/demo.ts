// `demo [--events N]`: realistic sample data through the domain operations, so the rows,
// log entries and outbox mails are exactly what real use produces.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { addUser, changePassword } from '../domain/users.js';
import { createEvent } from '../domain/events/create-event.js';
import { notifyParties } from '../domain/events/notify-parties.js';
import { patchEvent } from '../domain/events/patch-event.js';
import { slotToJson } from '../domain/slots.js';
import type { Deps, UserRecord } from '../domain/ports.js';
import type { ActionContext } from '../domain/actor.js';
import { withAppDeps } from './app-deps.js';
import { CliError, EXIT_USAGE } from './errors.js';
import { table, truncate } from './table.js';

export const DEMO_USAGE = 'calndro demo [--events N]   (default 8, at most 200)';

const USERS = [
  { email: 'ada.lovelace@example.com', staff: true },
  { email: 'grace.hopper@example.com', staff: false },
  { email: 'alan.turing@example.com', staff: false },
];
// example.org/.net are reserved (RFC 2606): demo mail can never reach a real person.
const GUESTS = ['mara.jensen@example.org', 'tom.okafor@example.net', 'li.wei@example.org', 'sofia.rossi@example.net', 'jonas.berg@example.org'];
const TITLES = [
  'Quarterly planning', 'Design review: onboarding flow', 'Interview: backend engineer', 'Sprint retrospective',
  'Budget sign-off', 'Coffee with the new team lead', 'Customer call: Nordwind GmbH', 'Architecture deep dive',
  'Offsite logistics', 'Release 4.2 go/no-go', 'Board meeting prep', 'Mentoring session',
];
const DURATIONS = ['00:30', '00:45', '01:00', '01:30', '02:00'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** 2–5 slots on working days of the next four weeks, 08:00–17:30 UTC, on the half hour. */
function demoSlots(now: Date): { begin: string; duration: string }[] {
  const today = new Date(now.getTime());
  today.setUTCHours(0, 0, 0, 0);
  const slots: { begin: string; duration: string }[] = [];
  const count = 2 + Math.floor(Math.random() * 4);
  while (slots.length < count) {
    const day = new Date(today.getTime() + (1 + Math.floor(Math.random() * 28)) * 86_400_000);
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    day.setUTCHours(8 + Math.floor(Math.random() * 10), Math.random() < 0.5 ? 0 : 30);
    slots.push({ begin: day.toISOString().replace('.000Z', 'Z'), duration: pick(DURATIONS) });
  }
  return slots.sort((a, b) => a.begin.localeCompare(b.begin));
}

/** A deadline for answers (SPEC §11): a day before the first slot, at least an hour from now. */
function demoDeadline(now: Date, slots: { begin: string }[]): string {
  const first = Date.parse(slots[0]!.begin);
  return new Date(Math.max(now.getTime() + 3_600_000, first - 86_400_000)).toISOString().replace('.000Z', 'Z');
}

async function ensureUser(deps: Deps, email: string, password: string, staff: boolean): Promise<UserRecord> {
  const existing = await deps.users.findByEmail(email);
  // Re-running demo resets the demo accounts' password, so the printed one always works.
  if (existing?.isActive) await changePassword(deps, email, password);
  else await addUser(deps, { email, password, staff });
  return (await deps.users.findByEmail(email))!;
}

export async function demoCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { events: { type: 'string', default: '8' } }, allowPositionals: true });
  const count = Number(values.events);
  if (positionals.length || !Number.isInteger(count) || count < 1 || count > 200) {
    throw new CliError(`usage: ${DEMO_USAGE}`, EXIT_USAGE);
  }
  const password = randomBytes(9).toString('base64url');

  await withAppDeps(async ({ deps }) => {
    const users: UserRecord[] = [];
    for (const u of USERS) users.push(await ensureUser(deps, u.email, password, u.staff));
    const rows: string[][] = [];
    for (let i = 0; i < count; i++) {
      const owner = users[i % users.length]!;
      const ctx = (user: UserRecord): ActionContext => ({ actor: { kind: 'user', user }, via: 'cli' });
      // Another demo user (so signing in shows shared events) plus one or two outside guests.
      const colleague = users[(i + 1) % users.length]!;
      const guests = [...new Set([pick(GUESTS), pick(GUESTS)])].slice(0, 1 + (i % 2));
      const slots = demoSlots(deps.clock.now());
      // Every other event asks for answers by a deadline (the first among them).
      const respondBy = i % 2 === 0 ? demoDeadline(deps.clock.now(), slots) : null;
      const event = await createEvent(deps, ctx(owner), {
        title: TITLES[i % TITLES.length],
        parties: [colleague.email, ...guests],
        slots,
        respond_by: respondBy,
      });
      let state = 'draft';
      // Two events in three are sent out, so the outbox and the logs have mail in them.
      if (i % 3 !== 2) {
        await notifyParties(deps, ctx(owner), event.id, { parties: event.parties, slots: event.slots.map(slotToJson) });
        state = 'notified';
        // …and in some the colleague has answered by narrowing the list, as a reply would.
        if (i % 2 === 0 && event.slots.length > 2) {
          await patchEvent(deps, ctx(colleague), event.id, { slots: event.slots.slice(0, 2).map(slotToJson) });
          state = 'notified, answered';
        }
      }
      const final = (await deps.events.get(event.id))!;
      rows.push([String(final.id), truncate(final.title, 34), owner.email, String(final.parties.length), String(final.slots.length),
        final.respondBy ? final.respondBy.toISOString().slice(0, 16).replace('T', ' ') : '-', state]);
    }
    console.log(`Demo users (password for all: ${password}):`);
    for (const u of users) console.log(`  ${u.email}${u.isStaff ? '  (staff: sees all events)' : ''}`);
    console.log(`\nCreated ${count} event${count === 1 ? '' : 's'}:`);
    console.log(table(['ID', 'TITLE', 'OWNER', 'PARTIES', 'SLOTS', 'ANSWER BY (UTC)', 'STATE'], rows, '  '));
    console.log(`\nTry it (with the server running, npm start): npm run tui -- --user ${users[0]!.email}`);
  });
}
