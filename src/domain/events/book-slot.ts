// SPEC §11, the decision: the organizer books one slot of the list and the event is confirmed
// as the automatic rule (§7) confirms it: status `confirmed`, the REQUEST invite to every party
// once, logged CONFIRM. One operation for every door: POST /{id}/confirm/, the page's "Book this
// time" button and the organizer's `book N` reply.
import { actorEmail, inboundMark, type ActionContext } from '../actor.js';
import { DomainError } from '../errors.js';
import { slotKey, slotToJson, type Slot } from '../slots.js';
import { parseInput } from '../parse-input.js';
import type { SlotView } from '../notification.js';
import { eventInputs } from './inputs.js';
import { mutateEvent } from './mutate-event.js';
import { assertOpen } from './patch-event.js';
import { confirmInto } from './confirmation.js';
import { slotViews } from './mail-rows.js';
import type { Deps, EventChange, EventRecord } from '../ports.js';

/** The slot itself (API, page), or its number in a mail's list (null: the list as stored). */
export type Booking = { slot: Slot } | { number: number; list: SlotView[] | null };

/** The API body `{"slot": {begin, duration}}` (DEFAULT_TIMEZONE for a begin without offset). */
export function readBooking(deps: Deps, input: unknown): Booking {
  return parseInput(eventInputs(deps.config.defaultTimeZone).book, input);
}

/** The stored slot the booking names, or null when it is not (or no longer) in the list. */
function chosen(booking: Booking, stored: Slot[]): Slot | null {
  let key: string | undefined;
  if ('slot' in booking) key = slotKey(booking.slot);
  else key = (booking.list ?? slotViews(stored)).find((v) => v.number === booking.number)?.key;
  return stored.find((s) => slotKey(s) === key) ?? null;
}

/**
 * Books a slot: owner or staff only (`not_organizer`), on an open event (`event_closed`), a
 * slot of the current list (`slot_not_listed` with that list). Decided inside the event's
 * guarded write: of two racing bookings, or a booking racing the automatic confirmation, the
 * second finds the event confirmed and fails; one invite goes out.
 */
export async function bookSlot(deps: Deps, ctx: ActionContext, id: number, booking: Booking): Promise<EventRecord> {
  const who = actorEmail(ctx.actor);
  return mutateEvent(deps, ctx.actor, id, 'book', (event) => {
    assertOpen(event);
    const slot = chosen(booking, event.slots);
    if (!slot) {
      const number = 'number' in booking ? booking.number : undefined;
      throw new DomainError('slot_not_listed', number === undefined
        ? 'That slot is not in the list of times; book one of the current slots.'
        : `Time ${number} is not (or no longer) in the list of times.`,
      { slots: event.slots.map(slotToJson), ...(number !== undefined && { number }) });
    }
    const change: EventChange = { slots: [slot], log: [], ...inboundMark(ctx, 'applied', `booked ${slotToJson(slot).begin}`) };
    confirmInto(deps, ctx, { ...event, slots: [slot] }, change, { booked_by: who });
    return change;
  });
}
