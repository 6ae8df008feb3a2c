// What the follow-up (SPEC §11: reminders, the organizer's summary, the deadline) remembers per
// event. Stored as JSON with the event and changed only with it (EventStore.mutate), so a
// reminder's mail and the advance of its schedule are one write.

export interface PartyFollowUp {
  /** When the proposal first reached this party (ISO): reminders count from here. */
  since: string;
  /** Reminders sent so far (the worker's and the organizer's `remind`). */
  sent: number;
  /** When the last reminder went (ISO). */
  last?: string;
  /** No more reminders: their address bounced. */
  stopped?: 'bounced';
}

/** A calendar client's COUNTER (SPEC §12): declined (DECLINECOUNTER) when due unless its time was added. */
export interface CounterFollowUp {
  proposer: string;
  /** The COUNTER's UID and SEQUENCE: the DECLINECOUNTER must name them. */
  uid: string;
  sequence: number;
  /** The proposed time (slotKey). */
  slot: string;
  /** When it is declined if the organizer did not add the time (ISO). */
  due: string;
  /** When it was settled (ISO), and how; absent: pending. */
  done?: string;
  outcome?: 'declined' | 'added' | 'superseded';
}

export interface FollowUpState {
  parties?: Record<string, PartyFollowUp>;
  /** When the organizer's summary went (ISO): it goes once. */
  summary?: string;
  /** AUTO_BOOK_AT_DEADLINE: the slot key chosen at the deadline, until it is booked. */
  book?: string;
  /** Calendar counter-proposals (SPEC §12), the pending ones and the last settled ones. */
  counters?: CounterFollowUp[];
}
