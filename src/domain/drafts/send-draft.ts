// `send` (yes, ok...) on a draft (SPEC §10): exactly what POST / and POST /{id}/notify/ to every
// other party do, owner = the sender, logged via "email" with the Message-ID. Two writes, each
// idempotent: (1) the event is created and the draft marked sent with it (EventStore.create's
// draft claim); (2) the other parties are notified, the sender's answer set to every slot and
// the inbound outcome recorded. A crash between them leaves the mail 'received': its retry finds
// the draft sent and does (2), which is guarded by the sender's answer (set only there).
import { inboundMark, type ActionContext } from '../actor.js';
import { slotKey, slotToJson } from '../slots.js';
import { openEvent } from '../events/create-event.js';
import { mutateEvent } from '../events/mutate-event.js';
import { notifyChange } from '../events/notify-parties.js';
import { mailsFor } from '../events/mail-rows.js';
import { organizerCommandList } from '../events/organizer-commands.js';
import { closedDraft, expireDraft, isExpired, writeDraft } from './change-draft.js';
import { draftStep, draftToken, inboundOf, summaryMail, type DraftContext } from './summary-mail.js';
import type { DraftOutcome } from './start-draft.js';
import type { Deps, UserRecord } from '../ports.js';
import type { DraftRecord } from './types.js';

export async function sendDraft(deps: Deps, ctx: DraftContext, draft: DraftRecord): Promise<DraftOutcome> {
  if (isExpired(deps, draft)) return expireDraft(deps, ctx, draft, 'send');
  if (draft.status === 'sent' && draft.eventId !== null) return finishSend(deps, ctx, draft, draft.eventId);
  if (draft.status !== 'open') return closedDraft(deps, ctx, draft, 'send');
  if (!draft.slots.length) {
    const reason = `draft ${draft.id}: send refused, no times`;
    await writeDraft(deps, draft, { set: {}, step: draftStep(deps, ctx, 'send without times'), outbox: [summaryMail(draft, null, 'no_times', ctx)], ...inboundOf(ctx, 'answered', reason) });
    return { status: 'answered', reason, draftId: draft.id, recorded: true };
  }
  if (draft.respondBy && draft.respondBy.getTime() <= deps.clock.now().getTime()) {
    // The API's rule (respond_by in the future), answered with the summary and a fresh token to fix it.
    const reason = `draft ${draft.id}: send refused, the deadline for answers has passed`;
    const token = draftToken(deps);
    await writeDraft(deps, draft, {
      set: { tokenHash: token.hash }, step: draftStep(deps, ctx, 'send after the deadline'),
      outbox: [summaryMail(draft, token.sealed, 'deadline_past', ctx)], ...inboundOf(ctx, 'answered', reason),
    });
    return { status: 'answered', reason, draftId: draft.id, recorded: true };
  }
  const owner = await ownerOf(deps, draft);
  if (!owner) return closedDraft(deps, ctx, draft, 'send by a sender no longer allowed to organize');
  const step = draftStep(deps, ctx, 'send');
  const event = await openEvent(deps, ownerContext(ctx, owner), owner,
    { title: draft.title, parties: draft.parties, slots: draft.slots.map(slotToJson), ...(draft.respondBy && { respond_by: draft.respondBy.toISOString() }) },
    { id: draft.id, version: draft.version, steps: [...draft.steps, step] });
  return finishSend(deps, ctx, { ...draft, status: 'sent', eventId: event.id }, event.id);
}

function ownerContext(ctx: DraftContext, owner: UserRecord): ActionContext {
  return { actor: { kind: 'user', user: owner }, via: 'email', ...(ctx.messageId && { messageId: ctx.messageId }), ...(ctx.inboundId && { inboundId: ctx.inboundId }) };
}

/** The sender as the event's owner: an active user, or under `anyone` an inactive user made now. */
async function ownerOf(deps: Deps, draft: DraftRecord): Promise<UserRecord | null> {
  const mode = deps.config.organizeByMail;
  if (mode === 'off') return null;
  const known = await deps.users.findByEmail(draft.sender);
  if (known?.isActive || (known && mode === 'anyone')) return known;
  if (mode !== 'anyone') return null;
  const ids = await deps.users.ensureUsers([draft.sender]);
  return deps.users.findById(ids.get(draft.sender)!);
}

/**
 * The notify half: every other party gets the proposal with a fresh token; the sender, who
 * proposed every slot, keeps them all (their answer for SPEC §7 and §11) and gets the organizer
 * mail: where it went and the commands. Done once: a second `send` changes nothing.
 */
async function finishSend(deps: Deps, ctx: DraftContext, draft: DraftRecord, eventId: number): Promise<DraftOutcome> {
  const owner = await deps.users.findByEmail(draft.sender);
  const octx = owner ? ownerContext(ctx, owner) : null;
  let sentNow = false;
  const reasonOf = (n: number) => `draft ${draft.id} sent as event ${eventId} to ${n} part${n === 1 ? 'y' : 'ies'}`;
  if (octx) {
    await mutateEvent(deps, octx.actor, eventId, 'notify', (event) => {
      if (event.answers[draft.sender]) return { log: [] };
      sentNow = true;
      const others = event.parties.filter((p) => p !== draft.sender);
      const answers = { ...event.answers, [draft.sender]: event.slots.map(slotKey) };
      const notice = notifyChange(deps, octx, event, others, null);
      const organizer = mailsFor(deps, { ...event, answers }, 'organizer-help', [draft.sender], {
        details: { done: `Your proposal went to ${others.join(', ') || 'nobody else'}.`, commands: organizerCommandList(),
          ...(ctx.messageId && { inReplyTo: ctx.messageId }), subject: ctx.subject },
      });
      return {
        answers,
        log: notice.log,
        tokens: [...(notice.tokens ?? []), ...organizer.tokens],
        outbox: [...(notice.outbox ?? []), ...organizer.outbox],
        ...inboundMark(octx, 'applied', reasonOf(others.length)),
      };
    });
  }
  if (sentNow) return { status: 'applied', reason: reasonOf(draft.parties.length - 1), draftId: draft.id, eventId, recorded: Boolean(ctx.inboundId) };
  // Sent before: this `send` is recorded on the draft and answered by nobody.
  const current = (await deps.drafts.get(draft.id)) ?? draft;
  return closedDraft(deps, ctx, current, 'send again');
}
