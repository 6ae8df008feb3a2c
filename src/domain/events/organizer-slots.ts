// The organizer's `add <times>` and `remove N` by mail (SPEC §10): the same change as a PATCH
// of the slot list by the owner followed by a notify of every other party, in one write with
// the inbound outcome; the organizer gets the new list with the commands.
import { DomainError, validationError } from '../errors.js';
import { actorEmail, inboundMark, type ActionContext } from '../actor.js';
import { MAX_SLOTS, slotKey, type Slot } from '../slots.js';
import { mutateEvent } from './mutate-event.js';
import { updateChange } from './patch-event.js';
import { notifyChange } from './notify-parties.js';
import { mailsFor } from './mail-rows.js';
import { organizerCommandList } from './organizer-commands.js';
import type { Deps, EventRecord } from '../ports.js';
import type { MailPayload, SlotView } from '../notification.js';

export type SlotEdit =
  | { kind: 'add'; slots: Slot[] }
  /** Numbers as in `list`, the mail answered (null: the stored list). */
  | { kind: 'remove'; numbers: number[]; list: SlotView[] | null };

function edited(current: Slot[], edit: SlotEdit): { slots: Slot[]; done: string } {
  if (edit.kind === 'add') {
    const known = new Set(current.map(slotKey));
    const fresh = edit.slots.filter((s) => !known.has(slotKey(s)));
    if (!fresh.length) throw validationError({ slots: ['Every time you sent is already on the list.'] });
    const slots = [...current, ...fresh].sort((a, b) => (a.beginUs < b.beginUs ? -1 : a.beginUs > b.beginUs ? 1 : 0));
    if (slots.length > MAX_SLOTS) throw validationError({ slots: [`At most ${MAX_SLOTS} slots per event.`] });
    return { slots, done: `Added ${fresh.length} time${fresh.length === 1 ? '' : 's'}; every party got the new list.` };
  }
  const keys = new Set(edit.numbers.map((n) => (edit.list ? edit.list.find((v) => v.number === n)?.key : current[n - 1] && slotKey(current[n - 1]!))));
  const slots = current.filter((s) => !keys.has(slotKey(s)));
  if (slots.length === current.length) throw validationError({ slots: [`No slot numbered ${edit.numbers.join(', ')} is on the list.`] });
  return { slots, done: `Removed ${current.length - slots.length} slot${current.length - slots.length === 1 ? '' : 's'}; every party got the new list.` };
}

export async function editSlotsAsOrganizer(deps: Deps, ctx: ActionContext, id: number, edit: SlotEdit,
  details: NonNullable<MailPayload['details']>): Promise<EventRecord> {
  const who = actorEmail(ctx.actor);
  return mutateEvent(deps, ctx.actor, id, 'patch', (event) => {
    if (event.ownerEmail !== who) throw new DomainError('forbidden', 'Only the organizer may change the list by mail.');
    const { slots, done } = edited(event.slots, edit);
    const { change, next } = updateChange(deps, ctx, event, { slots });
    const others = next.parties.filter((p) => p !== who);
    const notice = notifyChange(deps, ctx, next, others, who);
    const reply = mailsFor(deps, next, 'organizer-help', [who], { details: { ...details, done, commands: organizerCommandList() } });
    return {
      ...change,
      log: [...change.log, ...notice.log],
      tokens: [...(notice.tokens ?? []), ...reply.tokens],
      outbox: [...(notice.outbox ?? []), ...reply.outbox],
      ...inboundMark(ctx, 'applied', `organizer ${edit.kind}: ${done}`),
    };
  });
}

/** `help` (or an unreadable command) from the organizer: one reply with the commands, rate-limited like the help reply. */
export async function organizerHelp(deps: Deps, ctx: ActionContext, id: number, details: NonNullable<MailPayload['details']>, perHour: number): Promise<boolean> {
  const who = actorEmail(ctx.actor);
  const since = new Date(deps.clock.now().getTime() - 3_600_000);
  let sent = false;
  await mutateEvent(deps, ctx.actor, id, 'view', (event, counts) => {
    sent = counts.recent < perHour;
    const batch = sent ? mailsFor(deps, event, 'organizer-help', [who], { details: { ...details, commands: organizerCommandList() } }) : { tokens: [], outbox: [] };
    const reason = `organizer help${sent ? '' : ' (rate-limited)'}`;
    return {
      ...inboundMark(ctx, sent ? 'answered' : 'ignored', reason),
      log: [{ occurrence: 'REPLY', effector: who, slots: event.slots, data: { via: ctx.via, ...(ctx.messageId && { message_id: ctx.messageId }), organizer_help: true, answered: sent } }],
      tokens: batch.tokens,
      outbox: batch.outbox,
    };
  }, { recent: { of: 'mailsTo', recipient: who, kind: 'organizer-help', since, anyEvent: true } });
  return sent;
}
