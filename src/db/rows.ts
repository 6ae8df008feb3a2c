// Conversions between database rows and domain records (JSON columns, bigint microseconds).
import type { Slot } from '../domain/slots.js';
import type { EventRecord, EventStatus, LogEntryRecord, UserRecord } from '../domain/ports.js';

export function encodeSlots(slots: Slot[]): string {
  return JSON.stringify(slots.map((s) => [String(s.beginUs), String(s.durationUs)]));
}

export function decodeSlots(text: string): Slot[] {
  return (JSON.parse(text) as [string, string][]).map(([b, d]) => ({ beginUs: BigInt(b), durationUs: BigInt(d) }));
}

export interface EventRow {
  id: number; title: string; ownerId: number; status: string; version: number; parties: string;
  slots: string; answers: string; inviteSequence: number; invitedAt: Date | null; createdAt: Date; updatedAt: Date;
  owner: { email: string };
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.ownerId,
    ownerEmail: row.owner.email,
    status: row.status as EventStatus,
    version: row.version,
    parties: JSON.parse(row.parties) as string[],
    slots: decodeSlots(row.slots),
    answers: JSON.parse(row.answers) as Record<string, string[]>,
    inviteSequence: row.inviteSequence,
    invitedAt: row.invitedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toUser(row: UserRecord): UserRecord {
  const { id, email, isStaff, isActive, passwordHash, credentialVersion } = row;
  return { id, email, isStaff, isActive, passwordHash, credentialVersion };
}

export interface LogRow { id: number; eventId: number; when: Date; occurrence: string; effector: string | null; slots: string; data: string }

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
