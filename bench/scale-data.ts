// The rows of a database that has served for a year (bench:scale): owners and party users,
// events with 2–3 parties each (EventParty rows, a token per party), proposals sent for every
// tenth event, and a log spread over all events but one "hot" event that was read very often.
// Rows are generated lazily: a million log rows never sit in memory at once.
import { createHash } from 'node:crypto';
import { encodeSlots } from '../src/db/rows.js';
import { slotKey, type Slot } from '../src/domain/slots.js';

export interface ScaleShape { events: number; logEntries: number; hotLogEntries: number }
/** The bench's own party user (made with a password by the domain) and the first free user id. */
export interface BenchPeople { party: { id: number; email: string }; nextUserId: number }
export interface Table { name: string; columns: string[]; rows: () => Iterable<unknown[]> }
export interface ScaleData { tables: Table[]; hotId: number; patchId: number; partyEvents: number }

const OWNERS = 20;
const PARTY_POOL = 2_000;
const DAY_MS = 86_400_000;
const SPAN_MS = 365 * DAY_MS;
const TOKEN_TTL_MS = 14 * DAY_MS;
const LOG_CYCLE = ['NOTIFY', 'DELIVERED', 'VIEW', 'REPLY', 'VIEW', 'UPDATE'] as const;

interface Person { id: number; email: string }

export function scaleData(shape: ScaleShape, people: BenchPeople, now: Date): ScaleData {
  const { events: n, logEntries, hotLogEntries } = shape;
  if (n < 2 || hotLogEntries > logEntries) throw new Error('bench:scale needs 2+ events and no more hot entries than entries');
  const start = now.getTime() - SPAN_MS;
  const owner = (i: number): Person => ({ id: people.nextUserId + (i % OWNERS), email: `owner${i % OWNERS}@example.org` });
  const poolUser = (k: number): Person => ({ id: people.nextUserId + OWNERS + k, email: `p${k}@example.org` });
  // The bench's party user is in every `stride`-th event: about 1,000 of them, or all of a small database.
  const stride = Math.max(1, Math.floor(n / 1_000));
  const parties = (i: number): Person[] => {
    const list = Array.from({ length: 2 + (i % 2) }, (_, k) => poolUser((i * 3 + k) % PARTY_POOL));
    if (i % stride === 0) list[list.length - 1] = people.party;
    return list;
  };
  const created = (i: number) => new Date(start + (i / n) * SPAN_MS);
  const slots = (i: number): Slot[] => Array.from({ length: 3 }, (_, k) =>
    ({ beginUs: BigInt(created(i).getTime() + (7 + k) * DAY_MS) * 1000n, durationUs: 3_600_000_000n }));
  // Every log row repeats its event's slots: encoded once per event.
  const encoded: string[] = [];
  const slotsText = (i: number) => (encoded[i] ??= encodeSlots(slots(i)));
  const tokenHash = (i: number, k: number) => createHash('sha256').update(`scale ${i}/${k}`).digest('hex');
  const hotId = Math.ceil(n / 2);

  function* users() {
    for (let o = 0; o < OWNERS; o++) yield [owner(o).id, owner(o).email, null, false, true, 0, new Date(start)];
    for (let k = 0; k < PARTY_POOL; k++) yield [poolUser(k).id, poolUser(k).email, null, false, false, 0, new Date(start)];
  }
  function* events() {
    for (let i = 1; i <= n; i++) {
      const first = parties(i)[0]!.email;
      const answers = i % 3 === 0 ? { [first]: [slotKey(slots(i)[0]!)] } : {};
      yield [i, `Meeting ${i}`, owner(i).id, 'open', 0, JSON.stringify(parties(i).map((p) => p.email)), slotsText(i),
        JSON.stringify(answers), 0, null, created(i), created(i)];
    }
  }
  function* members() {
    for (let i = 1; i <= n; i++) for (const p of parties(i)) yield [i, p.id];
  }
  function* tokens() {
    let id = 0;
    for (let i = 1; i <= n; i++) {
      const expires = new Date(created(i).getTime() + TOKEN_TTL_MS);
      for (const [k, p] of parties(i).entries()) yield [++id, tokenHash(i, k), i, p.email, expires, created(i), 'full'];
    }
  }
  function* outbox() {
    let id = 0;
    for (let i = 10; i <= n; i += 10) {
      const list = parties(i);
      const payload = JSON.stringify({ kind: 'proposal', eventId: i, title: `Meeting ${i}`, senderName: owner(i).email,
        parties: list.map((p) => p.email), slots: slots(i).map((s, k) => ({ number: k + 1, key: slotKey(s) })) });
      for (const [k, p] of list.entries()) {
        id += 1;
        yield [id, i, 'proposal', p.email, `<scale-${id}@calndro.test>`, tokenHash(i, k), payload, 'sent', 1,
          created(i), new Date(created(i).getTime() + 1000), created(i)];
      }
    }
  }
  function* log() {
    let ordinary = 0;
    for (let j = 1; j <= logEntries; j++) {
      const when = new Date(start + (j / logEntries) * SPAN_MS);
      // Spreads the hot event's entries evenly over the whole table, as years of reads would.
      if (Math.floor((j * hotLogEntries) / logEntries) > Math.floor(((j - 1) * hotLogEntries) / logEntries)) {
        const p = parties(hotId);
        yield [j, hotId, when, 'VIEW', p[j % p.length]!.email, slotsText(hotId), '{"via":"api"}'];
        continue;
      }
      const i = (ordinary % n) + 1;
      const round = Math.floor(ordinary / n);
      ordinary += 1;
      yield [j, i, when, ...ordinaryEntry(i, round, j)];
    }
  }
  function ordinaryEntry(i: number, round: number, j: number): unknown[] {
    const s = slotsText(i);
    const by = owner(i).email;
    if (round === 0) return ['UPDATE', by, s, JSON.stringify({ via: 'api', opened: 'created' })];
    const list = parties(i);
    const party = list[(round - 1) % list.length]!.email;
    switch (LOG_CYCLE[(round - 1) % LOG_CYCLE.length]!) {
      case 'NOTIFY': return ['NOTIFY', by, s, JSON.stringify({ via: 'api', recipient: party, sender: by })];
      case 'DELIVERED': return ['DELIVERED', null, s, JSON.stringify({ recipient: party, message_id: `<scale-d${j}@calndro.test>` })];
      case 'VIEW': return ['VIEW', party, s, '{"via":"api"}'];
      case 'REPLY': return ['REPLY', party, s, JSON.stringify({ via: 'mail', message_id: `<r${j}@example.org>` })];
      case 'UPDATE': return ['UPDATE', by, s, JSON.stringify({ via: 'api', title: `Meeting ${i}` })];
    }
  }

  return {
    hotId,
    patchId: hotId + 1,
    partyEvents: Math.floor(n / stride),
    tables: [
      { name: 'User', columns: ['id', 'email', 'passwordHash', 'isStaff', 'isActive', 'credentialVersion', 'createdAt'], rows: users },
      { name: 'Event', columns: ['id', 'title', 'ownerId', 'status', 'version', 'parties', 'slots', 'answers', 'inviteSequence',
        'invitedAt', 'createdAt', 'updatedAt'], rows: events },
      { name: 'EventParty', columns: ['eventId', 'userId'], rows: members },
      { name: 'EventToken', columns: ['id', 'hash', 'eventId', 'email', 'expiresAt', 'createdAt', 'scope'], rows: tokens },
      { name: 'OutboxMessage', columns: ['id', 'eventId', 'kind', 'recipient', 'messageId', 'tokenHash', 'payload', 'status', 'attempts',
        'nextAttemptAt', 'sentAt', 'createdAt'], rows: outbox },
      { name: 'LogEntry', columns: ['id', 'eventId', 'when', 'occurrence', 'effector', 'slots', 'data'], rows: log },
    ],
  };
}
