// Conversions between domain records and database rows. Rows are Prisma's own types (the
// models, and the CreateManyInput types for new rows), so a column added to the schema shows
// up here as a compile error until it is mapped (src/db/README.md).
import type { Event, LogEntry, Prisma } from './generated/sqlite/client.js';
import { orderedId } from './ordered-id.js';
import type { Slot } from '../domain/slots.js';
import type { PartyZone } from '../domain/zones.js';
import type { FollowUpState } from '../domain/follow-up-state.js';
import type { EventChange, EventRecord, EventStatus, LogEntryInput, LogEntryRecord, NewEventToken, OutboxInput, UserRecord } from '../domain/ports.js';

export function encodeSlots(slots: Slot[]): string {
  return JSON.stringify(slots.map((s) => [String(s.beginUs), String(s.durationUs)]));
}

export function decodeSlots(text: string): Slot[] {
  return (JSON.parse(text) as [string, string][]).map(([b, d]) => ({ beginUs: BigInt(b), durationUs: BigInt(d) }));
}

/** An Event row with its owner's address (both paths read it with a join). */
export type EventRow = Event & { owner: { email: string } };

export function toEvent(row: EventRow): EventRecord {
  const { id, title, ownerId, owner, status, version, parties, slots, answers, zones, inviteSequence, invitedAt, respondBy, followUp, followUpAt, createdAt, updatedAt, ...unmapped } = row;
  // A column added to Event lands in `unmapped`, which then fails this line: map it to EventRecord.
  const nothingLeft: Record<string, never> = unmapped;
  void nothingLeft;
  return {
    id,
    title,
    ownerId,
    ownerEmail: owner.email,
    status: status as EventStatus,
    version,
    parties: JSON.parse(parties) as string[],
    slots: decodeSlots(slots),
    answers: JSON.parse(answers) as Record<string, string[]>,
    zones: JSON.parse(zones) as Record<string, PartyZone>,
    inviteSequence,
    invitedAt,
    respondBy,
    followUp: JSON.parse(followUp) as FollowUpState,
    followUpAt,
    createdAt,
    updatedAt,
  };
}

/** A new event's row. */
export function newEventRow(input: { title: string; ownerId: number; parties: string[]; slots: Slot[]; respondBy: Date | null }, when: Date): Prisma.EventCreateManyInput {
  return {
    title: input.title, ownerId: input.ownerId, parties: JSON.stringify(input.parties), slots: encodeSlots(input.slots),
    respondBy: input.respondBy, createdAt: when, updatedAt: when,
  };
}

/** The event columns a change sets, encoded for storage. */
export function eventColumns(change: EventChange, when: Date): Partial<Prisma.EventCreateManyInput> & { updatedAt: Date } {
  return {
    updatedAt: when,
    ...(change.title !== undefined && { title: change.title }),
    ...(change.slots && { slots: encodeSlots(change.slots) }),
    ...(change.status && { status: change.status }),
    ...(change.answers && { answers: JSON.stringify(change.answers) }),
    ...(change.zones && { zones: JSON.stringify(change.zones) }),
    ...(change.inviteSequence !== undefined && { inviteSequence: change.inviteSequence }),
    ...(change.invitedAt && { invitedAt: change.invitedAt }),
    ...(change.respondBy !== undefined && { respondBy: change.respondBy }),
    ...(change.followUp && { followUp: JSON.stringify(change.followUp) }),
    ...(change.followUpAt !== undefined && { followUpAt: change.followUpAt }),
  };
}

export function logRow(eventId: number, e: LogEntryInput, when: Date): Prisma.LogEntryCreateManyInput {
  return { eventId, when, occurrence: e.occurrence, effector: e.effector, slots: encodeSlots(e.slots), data: JSON.stringify(e.data) };
}

/** `messageId`: the mail that carries the token (absent for an invite's rsvp token). */
export function tokenRow(eventId: number, t: NewEventToken, when: Date, messageId: string | null): Prisma.EventTokenCreateManyInput {
  return { eventId, hash: t.hash, email: t.email, expiresAt: t.expiresAt, scope: t.scope ?? 'full', createdAt: when, messageId };
}

export function outboxRow(o: OutboxInput, mailDomain: string, when: Date): Prisma.OutboxMessageCreateManyInput {
  return {
    eventId: o.eventId,
    kind: o.kind,
    recipient: o.recipient,
    tokenHash: o.tokenHash ?? null,
    // Fixed when the row is written, so a resend after a crash carries the same Message-ID.
    messageId: `<${orderedId(when.getTime())}@${mailDomain}>`,
    createdAt: when,
    nextAttemptAt: when,
    payload: JSON.stringify(o.payload),
  };
}

export function toUser(row: UserRecord): UserRecord {
  const { id, email, isStaff, isActive, passwordHash, credentialVersion } = row;
  return { id, email, isStaff, isActive, passwordHash, credentialVersion };
}

/** A LogEntry row as both paths read it. */
export type LogRow = LogEntry;

/**
 * A page of log rows. Most entries of a log repeat one slot list (every VIEW carries the
 * event's): each distinct list is decoded once per page and its entries share that array, which
 * lets presentLog format it once too (bench:api's log page spent half its time on them).
 */
export function toLogEntries(rows: LogRow[]): LogEntryRecord[] {
  const lists = new Map<string, Slot[]>();
  return rows.map((row) => {
    let slots = lists.get(row.slots);
    if (!slots) lists.set(row.slots, (slots = decodeSlots(row.slots)));
    return {
      id: row.id,
      eventId: row.eventId,
      when: row.when,
      occurrence: row.occurrence as LogEntryRecord['occurrence'],
      effector: row.effector,
      slots,
      data: JSON.parse(row.data) as Record<string, unknown>,
    };
  });
}
