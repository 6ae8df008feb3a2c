// Conversions between DraftRecord and Draft rows (src/db/README.md: rows are Prisma's types,
// so a column added to the model fails to compile here until it is mapped).
import type { Draft, Prisma } from './generated/sqlite/client.js';
import { DomainError } from '../domain/errors.js';
import { decodeSlots, encodeSlots } from './rows.js';
import type { DraftRecord, DraftSet, DraftStatus, DraftStep, NewDraft, UnreadableLine } from '../domain/drafts/types.js';

export function toDraft(row: Draft): DraftRecord {
  const { id, sender, title, parties, slots, unreadable, zone, respondBy, status, version, tokenHash, eventId, expiresAt, createdAt, steps, ...unmapped } = row;
  const nothingLeft: Record<string, never> = unmapped;
  void nothingLeft;
  return {
    id, sender, title, zone, respondBy, version, tokenHash, eventId, expiresAt, createdAt,
    status: status as DraftStatus,
    parties: JSON.parse(parties) as string[],
    slots: decodeSlots(slots),
    unreadable: JSON.parse(unreadable) as UnreadableLine[],
    steps: JSON.parse(steps) as DraftStep[],
  };
}

export function newDraftRow(d: NewDraft, when: Date): Prisma.DraftCreateManyInput {
  return {
    sender: d.sender, title: d.title, parties: JSON.stringify(d.parties), slots: encodeSlots(d.slots),
    unreadable: JSON.stringify(d.unreadable), zone: d.zone, respondBy: d.respondBy, tokenHash: d.tokenHash, expiresAt: d.expiresAt,
    createdAt: when, steps: JSON.stringify(d.steps),
  };
}

export function draftColumns(set: DraftSet): Partial<Prisma.DraftCreateManyInput> {
  return {
    ...(set.title !== undefined && { title: set.title }),
    ...(set.slots && { slots: encodeSlots(set.slots) }),
    ...(set.unreadable && { unreadable: JSON.stringify(set.unreadable) }),
    ...(set.zone !== undefined && { zone: set.zone }),
    ...(set.respondBy !== undefined && { respondBy: set.respondBy }),
    ...(set.status && { status: set.status }),
    ...(set.tokenHash !== undefined && { tokenHash: set.tokenHash }),
    ...(set.expiresAt && { expiresAt: set.expiresAt }),
  };
}

/** The claim of a draft by the event made from it (EventStore.create). */
export function claimedDraft(eventId: number, steps: DraftStep[]) {
  return { status: 'sent' as const, eventId, steps: JSON.stringify(steps) };
}

/** A draft changed between its reading and the write that claims it: the mail is tried again later. */
export const draftMovedOn = () => new DomainError('busy', 'The draft changed meanwhile; try again.', { retryAfter: 1 });
