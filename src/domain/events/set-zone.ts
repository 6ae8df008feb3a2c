// A party's (or the organizer's) time zone for one event (SPEC §12): chosen on the page or by a
// reply line, or learned from the offset of their latest mail's Date header. Every mail built
// after it (mail-rows.ts) carries it, so the slots read in that zone with UTC beside.
import { actorEmail, inboundMark, type ActionContext } from '../actor.js';
import { DomainError, validationError } from '../errors.js';
import { nextZone, normalizeZone, zoneDisplayName, type ZoneSource } from '../zones.js';
import { mutateEvent } from './mutate-event.js';
import { mailsFor } from './mail-rows.js';
import type { Deps, EventRecord } from '../ports.js';
import type { MailPayload } from '../notification.js';

const HOUR_MS = 3_600_000;

export const UNKNOWN_ZONE_HELP =
  'Write a time zone by its IANA name, such as Europe/Paris, America/New_York or Asia/Tokyo, or as an offset from UTC such as +09:00.';

export interface SetZoneOptions {
  /** Acknowledge by mail (a reply that only set the zone): the details of the mail answered. */
  ack?: MailPayload['details'];
}

export interface SetZoneResult {
  event: EventRecord;
  /** False when the zone was already so, or a learned offset met a chosen zone. */
  changed: boolean;
  /** The zone as stored ("Europe/Paris", "+09:00"). */
  zone: string;
}

/** Only the parties and the organizer have a zone in an event. */
const hasZoneIn = (event: EventRecord, who: string) => event.parties.includes(who) || event.ownerEmail === who;

/**
 * The event's zones with `offset` learned for `who` (a party or the organizer), or null when
 * that changes nothing (a chosen zone, the same offset) or `who` has no zone in this event.
 * For a write that learns the offset beside its own change (an answer by mail).
 */
export function withLearnedZone(event: EventRecord, who: string, offset: string): EventRecord['zones'] | null {
  if (!hasZoneIn(event, who)) return null;
  const next = nextZone(event.zones[who], { zone: offset, source: 'learned' });
  return next ? { ...event.zones, [who]: next } : null;
}

/**
 * Sets the zone of the acting party (keyed by their address). `text` is what they wrote or
 * picked; an unknown zone is a validation error on the field `zone`. A learned zone never
 * replaces a chosen one, and nothing is written when nothing changes (unless an ack is asked).
 */
export async function setPartyZone(deps: Deps, ctx: ActionContext, id: number, text: string, source: ZoneSource,
  opts: SetZoneOptions = {}): Promise<SetZoneResult> {
  const zone = normalizeZone(text);
  if (!zone) throw validationError({ zone: [`“${text.trim().slice(0, 64)}” is not a time zone we know. ${UNKNOWN_ZONE_HELP}`] });
  const who = actorEmail(ctx.actor);
  const incoming = { zone, source };
  // A learned offset arrives with every mail: most change nothing, and those are not written.
  if (!opts.ack) {
    const stored = await deps.events.get(id);
    if (stored && !nextZone(stored.zones[who], incoming)) return { event: stored, changed: false, zone };
  }
  // A calendar's iMIP REPLY comes with the rsvp-only key: it may teach an offset, nothing more.
  const op = ctx.actor.kind === 'token' && ctx.actor.scope === 'rsvp' && source === 'learned' ? 'rsvp' : 'view';
  let changed = false;
  const since = new Date(deps.clock.now().getTime() - HOUR_MS);
  const event = await mutateEvent<'acks'>(deps, ctx.actor, id, op, (current, counts) => {
    if (!hasZoneIn(current, who)) {
      throw new DomainError('forbidden', 'Only the parties and the organizer have a time zone in this event.');
    }
    const next = nextZone(current.zones[who], incoming);
    changed = next !== null;
    const zones = next ? { ...current.zones, [who]: next } : current.zones;
    // As with answers: the same zone again is acknowledged at most once an hour (no mail loops).
    const ack = opts.ack && (changed || counts.acks === 0)
      ? mailsFor(deps, { ...current, zones }, 'ack', [who], { details: { ...opts.ack, zoneSet: zoneDisplayName(zones[who]?.zone ?? zone) } })
      : { tokens: [], outbox: [] };
    return {
      ...(next && { zones }),
      log: [],
      tokens: ack.tokens,
      outbox: ack.outbox,
      ...inboundMark(ctx, 'applied', `time zone ${zone}${changed ? '' : ' (unchanged)'}`),
    };
  }, { acks: { of: 'mailsTo', recipient: who, kind: 'ack', since } });
  return { event, changed, zone };
}
