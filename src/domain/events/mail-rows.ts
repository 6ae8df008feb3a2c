// Builds outbox rows (with fresh event tokens) for the mails an event change causes.
import { slotKey, slotSpan, type Slot } from '../slots.js';
import type { Deps, EventRecord, NewEventToken, OutboxInput } from '../ports.js';
import type { MailKind, MailPayload, SlotView } from '../notification.js';

export function slotViews(slots: Slot[]): SlotView[] {
  return slots.map((s, i) => ({ number: i + 1, ...slotSpan(s), key: slotKey(s) }));
}

export interface MailBatch {
  tokens: NewEventToken[];
  outbox: OutboxInput[];
}

/** Invites carry ICS with ORGANIZER meet+<token>: calendars keep it, so it gets an rsvp-only token. */
const INVITES: MailKind[] = ['confirmation', 'cancellation', 'decline-counter'];

/**
 * One mail per recipient, each with a fresh personal token (SPEC §3 notify); invites also
 * with a second, rsvp-only token for their ORGANIZER address.
 */
export function mailsFor(
  deps: Deps,
  event: EventRecord,
  kind: MailKind,
  recipients: string[],
  extra: Partial<MailPayload> = {},
): MailBatch {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.eventTokenTtlDays * 86_400_000);
  const batch: MailBatch = { tokens: [], outbox: [] };
  const slots = slotViews(event.slots);
  for (const recipient of recipients) {
    const token = deps.tokens.generate();
    const hash = deps.tokens.hash(token);
    batch.tokens.push({ hash, email: recipient, expiresAt });
    let sealedOrganizerToken: string | undefined;
    if (INVITES.includes(kind)) {
      const organizer = deps.tokens.generate();
      batch.tokens.push({ hash: deps.tokens.hash(organizer), email: recipient, expiresAt, scope: 'rsvp' });
      sealedOrganizerToken = deps.tokens.seal(organizer);
    }
    batch.outbox.push({
      tokenHash: hash,
      eventId: event.id,
      kind,
      recipient,
      payload: {
        kind,
        eventId: event.id,
        title: event.title,
        recipient,
        senderName: null,
        parties: event.parties,
        slots,
        ...(event.zones[recipient] && { zone: event.zones[recipient].zone }),
        sealedToken: deps.tokens.seal(token),
        tokenExpiresAt: expiresAt.toISOString(),
        ...(event.respondBy && { respondBy: event.respondBy.toISOString() }),
        ...(sealedOrganizerToken && { sealedOrganizerToken }),
        ...extra,
      },
    });
  }
  return batch;
}

export function mergeBatches(...batches: MailBatch[]): MailBatch {
  return { tokens: batches.flatMap((b) => b.tokens), outbox: batches.flatMap((b) => b.outbox) };
}
