// Reads the payload of an outbox row as stored. Rows can wait across an upgrade, so a row written
// before slots travelled as numbers still has to be sent and answered: its slots held SPEC §2
// strings (begin "2031-03-11T14:00:00Z", duration "01:00:00"). Their key already holds the exact
// numbers, so the strings are not parsed back.
import type { MailPayload, SlotView } from './notification.js';
import { parseSlotKey, slotSpan } from './slots.js';

/** A slot as rows written before the numeric shape hold it. */
export interface LegacySlotView {
  number: number;
  begin: string;
  duration: string;
  key: string;
}

export type StoredSlotView = SlotView | LegacySlotView;

export type StoredMailPayload = Omit<MailPayload, 'slots' | 'confirmedSlot'> & {
  slots: StoredSlotView[];
  confirmedSlot?: StoredSlotView;
};

export function readSlotView(stored: StoredSlotView): SlotView {
  if ('beginMs' in stored) return stored;
  return { number: stored.number, ...slotSpan(parseSlotKey(stored.key)), key: stored.key };
}

/** Either shape → the current MailPayload (old slots rewritten, everything else as stored). */
export function readMailPayload(stored: StoredMailPayload): MailPayload {
  const { slots, confirmedSlot, ...rest } = stored;
  return {
    ...rest,
    slots: slots.map(readSlotView),
    ...(confirmedSlot && { confirmedSlot: readSlotView(confirmedSlot) }),
  };
}
