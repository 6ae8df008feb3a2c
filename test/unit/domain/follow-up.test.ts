// SPEC §11 follow-up in the domain, on a fake clock: the reminder schedule (with and without a
// deadline), who gets one and how many, the summary once, a bounced address left alone, the
// organizer's `remind`. The real-time, real-peer runs are in test/integration/.
import { describe, expect, it } from 'vitest';
import { slotKey } from '../../../src/domain/slots.js';
import { notifyParties } from '../../../src/domain/events/notify-parties.js';
import { answerEvent } from '../../../src/domain/events/answer-event.js';
import { cancelEvent } from '../../../src/domain/events/cancel-event.js';
import { followUp } from '../../../src/domain/events/follow-up-event.js';
import { remindNow } from '../../../src/domain/events/remind-now.js';
import { nextReminderAt } from '../../../src/domain/events/follow-up-plan.js';
import { createEvent } from '../../../src/domain/events/create-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, asInput, BOB, CAROL, DAVE, DAY_MS, HOUR_MS, ctx, rejection, scene, type Scene } from '../../helpers/domain-scene.js';

const SETTINGS = { remindAfterMs: 2 * DAY_MS, remindBeforeMs: DAY_MS, remindersMax: 2, autoBook: false, counterDeclineAfterMs: 7 * DAY_MS };
const T0 = Date.parse('2031-03-01T12:00:00Z');

describe('nextReminderAt', () => {
  const party = (sent: number, last?: number) => ({ since: new Date(T0).toISOString(), sent, ...(last !== undefined && { last: new Date(last).toISOString() }) });
  it('without a deadline: REMIND_AFTER after the proposal, then twice that after the last one, at most REMINDERS_MAX', () => {
    expect(nextReminderAt(party(0), null, SETTINGS)!.getTime()).toBe(T0 + 2 * DAY_MS);
    expect(nextReminderAt(party(1, T0 + 2 * DAY_MS + 5000), null, SETTINGS)!.getTime()).toBe(T0 + 6 * DAY_MS + 5000);
    expect(nextReminderAt(party(2, T0 + 6 * DAY_MS), null, SETTINGS)).toBeNull();
  });
  it('with a deadline: at half the time left and REMIND_BEFORE before it; moments already past are skipped', () => {
    const deadline = new Date(T0 + 10 * DAY_MS);
    expect(nextReminderAt(party(0), deadline, SETTINGS)!.getTime()).toBe(T0 + 5 * DAY_MS);
    expect(nextReminderAt(party(1, T0 + 5 * DAY_MS), deadline, SETTINGS)!.getTime()).toBe(T0 + 9 * DAY_MS);
    // Both moments were missed (the worker was down): one late reminder, then none.
    expect(nextReminderAt(party(1, T0 + 9.5 * DAY_MS), deadline, SETTINGS)).toBeNull();
    // A deadline 12 h away: REMIND_BEFORE (24 h) is before the proposal, only the half remains.
    const soon = new Date(T0 + 12 * HOUR_MS);
    expect(nextReminderAt(party(0), soon, SETTINGS)!.getTime()).toBe(T0 + 6 * HOUR_MS);
    expect(nextReminderAt(party(1, T0 + 6 * HOUR_MS), soon, SETTINGS)).toBeNull();
  });
});

async function proposed(s: Scene, respondBy?: Date) {
  const e = await createEvent(s.deps, ctx(userActor(s.alice)), {
    title: 'Kick-off', parties: [BOB, CAROL, DAVE], slots: asInput([A, B]), ...(respondBy && { respond_by: respondBy.toISOString() }),
  });
  await notifyParties(s.deps, ctx(userActor(s.alice)), e.id, { parties: [BOB, CAROL, DAVE], slots: asInput([A, B]) });
  return e.id;
}
const rows = (s: Scene, id: number, kind: 'reminder' | 'summary') => s.events.outboxOf(id, kind).map((r) => r.recipient);
/** What the worker does when the event is due: its handler, if it is due at the clock's now. */
async function tick(s: Scene, id: number) {
  const e = (await s.events.get(id))!;
  if (e.followUpAt && e.followUpAt.getTime() <= s.clock.now().getTime()) await followUp(s.deps, id);
}

describe('the follow-up of an event', () => {
  it('reminds only the party who has not answered, twice, spaced as configured, in the event thread', async () => {
    const s = scene();
    const id = await proposed(s);
    await answerEvent(s.deps, ctx(tokenActor(id, BOB)), id, [A, B]);
    await answerEvent(s.deps, ctx(tokenActor(id, CAROL)), id, [A]);
    expect((await s.events.get(id))!.followUpAt!.getTime()).toBe(T0 + 2 * DAY_MS);
    s.clock.advance(2 * DAY_MS - 1000);
    await followUp(s.deps, id);
    expect(rows(s, id, 'reminder')).toEqual([]);
    s.clock.advance(1000);
    await tick(s, id);
    await tick(s, id);
    expect(rows(s, id, 'reminder')).toEqual([DAVE]);
    expect(s.events.outboxOf(id, 'reminder')[0]!.payload).toMatchObject({ kind: 'reminder', eventId: id, details: { remindersLeft: 1 }, slots: [{ number: 1 }] });
    s.clock.advance(4 * DAY_MS);
    await tick(s, id);
    s.clock.advance(30 * DAY_MS);
    await tick(s, id);
    expect(rows(s, id, 'reminder')).toEqual([DAVE, DAVE]);
    expect(s.log.of(id, 'REMIND').map((e) => e.data)).toEqual([
      { recipient: DAVE, reminder: 1, left: 1 }, { recipient: DAVE, reminder: 2, left: 0 },
    ]);
    expect((await s.events.get(id))!.followUpAt).toBeNull();
  });

  it('stops after the party answers, and the summary goes to the organizer once everyone has', async () => {
    const s = scene();
    const id = await proposed(s);
    await answerEvent(s.deps, ctx(tokenActor(id, BOB)), id, [A, B]);
    s.clock.advance(2 * DAY_MS);
    await tick(s, id);
    expect(rows(s, id, 'reminder')).toEqual([CAROL, DAVE]);
    await answerEvent(s.deps, ctx(tokenActor(id, CAROL)), id, [A, B]);
    await answerEvent(s.deps, ctx(tokenActor(id, DAVE)), id, [A, B]);
    expect(rows(s, id, 'summary')).toEqual(['alice@example.org']);
    expect(s.events.outboxOf(id, 'summary')[0]!.payload.details).toMatchObject({
      reason: 'all_answered', silent: [], keptBy: [{ number: 1, parties: [BOB, CAROL, DAVE] }, { number: 2, parties: [BOB, CAROL, DAVE] }],
    });
    await answerEvent(s.deps, ctx(tokenActor(id, DAVE)), id, [A, B]);
    s.clock.advance(30 * DAY_MS);
    await tick(s, id);
    expect(rows(s, id, 'reminder')).toEqual([CAROL, DAVE]);
    expect(rows(s, id, 'summary')).toHaveLength(1);
    expect(s.log.of(id, 'SUMMARY')).toHaveLength(1);
  });

  it('with respond_by: at the half and REMIND_BEFORE before it, then the summary at the deadline, once', async () => {
    const s = scene();
    const id = await proposed(s, new Date(T0 + 10 * DAY_MS));
    await answerEvent(s.deps, ctx(tokenActor(id, BOB)), id, [A]);
    const at: number[] = [];
    for (let h = 0; h <= 11 * 24; h++) {
      const before = s.events.outboxOf(id).length;
      await tick(s, id);
      if (s.events.outboxOf(id).length > before) at.push((s.clock.now().getTime() - T0) / HOUR_MS);
      s.clock.advance(HOUR_MS);
    }
    expect(at).toEqual([5 * 24, 9 * 24, 10 * 24]);
    expect(rows(s, id, 'reminder')).toEqual([CAROL, DAVE, CAROL, DAVE]);
    expect(rows(s, id, 'summary')).toEqual(['alice@example.org']);
    expect(s.events.outboxOf(id, 'summary')[0]!.payload.details).toMatchObject({
      reason: 'deadline', silent: [CAROL, DAVE], keptBy: [{ number: 1, parties: [BOB] }],
    });
    expect((await s.events.get(id))!.status).toBe('open');
  });

  it('AUTO_BOOK_AT_DEADLINE books the slot kept by most parties, the earliest on a tie', async () => {
    const s = scene();
    Object.assign(s.deps.config.followUp, { autoBook: true });
    const id = await proposed(s, new Date(T0 + DAY_MS / 2));
    await answerEvent(s.deps, ctx(tokenActor(id, BOB)), id, [A, B]);
    s.clock.advance(DAY_MS);
    await tick(s, id);
    const e = (await s.events.get(id))!;
    expect(e.status).toBe('confirmed');
    expect(e.slots.map(slotKey)).toEqual([slotKey(A)]);
    expect(s.log.of(id, 'CONFIRM')[0]).toMatchObject({ effector: 'alice@example.org', data: { via: 'schedule' } });
    expect(s.events.outboxOf(id, 'summary')[0]!.payload.details).toMatchObject({ booking: 1 });
    expect(e.followUpAt).toBeNull();
  });

  it('never after cancellation, nor to an address that bounced', async () => {
    const s = scene();
    const id = await proposed(s);
    s.events.bounced.push({ eventId: id, recipient: CAROL });
    s.clock.advance(2 * DAY_MS);
    await tick(s, id);
    expect(rows(s, id, 'reminder')).toEqual([BOB, DAVE]);
    await cancelEvent(s.deps, ctx(userActor(s.alice)), id);
    expect((await s.events.get(id))!.followUpAt).toBeNull();
    s.clock.advance(30 * DAY_MS);
    await followUp(s.deps, id);
    expect(rows(s, id, 'reminder')).toEqual([BOB, DAVE]);
  });

  it("the organizer's remind: the next reminder now, counted; a party may not", async () => {
    const s = scene();
    const id = await proposed(s);
    await answerEvent(s.deps, ctx(tokenActor(id, BOB)), id, [A]);
    expect((await rejection(remindNow(s.deps, ctx(tokenActor(id, CAROL)), id))).code).toBe('not_organizer');
    const r = await remindNow(s.deps, ctx(tokenActor(id, 'alice@example.org'), 'email'), id);
    expect(r.reminded).toEqual([CAROL, DAVE]);
    expect(s.log.of(id, 'REMIND')[0]).toMatchObject({ effector: 'alice@example.org', data: { recipient: CAROL, reminder: 1, via: 'email' } });
    // The scheduled one counts from the organizer's: twice REMIND_AFTER later, and the last.
    s.clock.advance(4 * DAY_MS);
    await tick(s, id);
    expect(rows(s, id, 'reminder')).toEqual([CAROL, DAVE, CAROL, DAVE]);
    expect((await remindNow(s.deps, ctx(userActor(s.alice)), id)).reminded).toEqual([]);
  });
});
