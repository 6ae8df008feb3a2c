// Domain records → API JSON (SPEC §3), with absolute URLs from PUBLIC_URL.
import { parseSlotKey, slotToJson, type Slot } from '../domain/slots.js';
import type { EventRecord, LogEntryRecord } from '../domain/ports.js';
import { respondByText } from '../domain/events/respond-by.js';

export function eventUrl(publicUrl: string, id: number): string {
  return `${publicUrl}/${id}/`;
}

export function presentEvent(publicUrl: string, e: EventRecord) {
  const url = eventUrl(publicUrl, e.id);
  return {
    id: e.id,
    url,
    log_url: `${url}log/`,
    notify_url: `${url}notify/`,
    title: e.title,
    parties: e.parties,
    slots: e.slots.map(slotToJson),
    status: e.status,
    respond_by: respondByText(e.respondBy),
    owner: e.ownerEmail,
    answers: Object.fromEntries(Object.entries(e.answers).map(([p, keys]) => [p, keys.map((k) => slotToJson(parseSlotKey(k)))])),
    created: e.createdAt.toISOString(),
    updated: e.updatedAt.toISOString(),
  };
}

export function presentLog(publicUrl: string, e: EventRecord, entries: LogEntryRecord[]) {
  // Entries of a page share their slot list when it is the same (db/rows.ts): formatted once.
  const formatted = new Map<Slot[], ReturnType<typeof slotToJson>[]>();
  const slotsJson = (slots: Slot[]) => {
    let json = formatted.get(slots);
    if (!json) formatted.set(slots, (json = slots.map(slotToJson)));
    return json;
  };
  return {
    event: eventUrl(publicUrl, e.id),
    parties: e.parties,
    entries: entries.map((x) => ({
      id: x.id,
      when: x.when.toISOString(),
      occurrence: x.occurrence,
      effector: x.effector,
      slots: slotsJson(x.slots),
      data: x.data,
    })),
  };
}
