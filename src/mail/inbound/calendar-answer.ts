// A calendar client's iMIP answer to one of our invites (SPEC §5, §12): a REPLY (accepted,
// declined…) is recorded; a COUNTER ("propose new time", Outlook and Google Calendar) becomes a
// suggestion to the organizer (suggestTime), never a change of the list. Matched to the event
// by UID and to the party by ATTENDEE (Outlook.com leaves ORGANIZER out; Outlook's COUNTER may
// carry an ATTENDEE without PARTSTAT). Anything naming another event or another person is
// quarantined, with nothing applied.
import { recordRsvp } from '../../domain/events/record-rsvp.js';
import { suggestTime } from '../../domain/events/suggest-time.js';
import type { ActionContext } from '../../domain/actor.js';
import type { Deps } from '../../domain/ports.js';
import { uidOfEvent } from '../calendar-uid.js';
import { bareAddress } from './address.js';
import type { InboundStatus } from './ports.js';
import type { MailFacts } from './read-mail.js';

export interface CalendarOutcome {
  status: InboundStatus;
  reason: string;
  /** Written with the change itself. */
  recorded: boolean;
}

const MS_TO_US = 1000n;

/** null: the mail holds no calendar answer. */
export async function applyCalendarAnswer(deps: Deps, mailDomain: string, mail: MailFacts,
  who: { eventId: number; email: string }, ctx: ActionContext): Promise<CalendarOutcome | null> {
  const quarantine = (reason: string): CalendarOutcome => ({ status: 'quarantined', reason, recorded: false });
  const { rsvp, counter } = mail;
  if (rsvp) {
    if (!uidOfEvent(rsvp.uid, who.eventId, mailDomain)) return quarantine(`iMIP REPLY for another event (UID ${rsvp.uid.slice(0, 100)})`);
    if (rsvp.attendee !== who.email) return quarantine(`iMIP REPLY for ${rsvp.attendee}, not the token's party`);
    await recordRsvp(deps, ctx, who.eventId, rsvp);
    return { status: 'applied', reason: `RSVP ${rsvp.partstat}`, recorded: true };
  }
  if (!counter) return null;
  if (!uidOfEvent(counter.uid, who.eventId, mailDomain)) return quarantine(`iMIP COUNTER for another event (UID ${counter.uid.slice(0, 100)})`);
  // Without an ATTENDEE the sender stands for the proposer; either way it must be the token's party.
  const proposer = counter.attendee ?? bareAddress(mail.from);
  if (proposer !== who.email) return quarantine(`iMIP COUNTER for ${proposer ?? 'nobody'}, not the token's party`);
  const slot = { beginUs: BigInt(counter.startMs) * MS_TO_US, durationUs: BigInt(counter.endMs - counter.startMs) * MS_TO_US };
  const done = await suggestTime(deps, ctx, who.eventId, {
    slots: [slot],
    source: { kind: 'calendar', uid: counter.uid, sequence: counter.sequence, ...(counter.comment && { comment: counter.comment }) },
  }, { ...(ctx.messageId && { inReplyTo: ctx.messageId }), subject: mail.subject });
  return { status: 'applied', reason: `COUNTER suggested${done.forwarded ? '' : ' (not forwarded: cap)'}`, recorded: true };
}
