// SPEC §12: a calendar COUNTER the organizer lets be gets one DECLINECOUNTER when due (respond_by
// if ahead, else COUNTER_DECLINE_AFTER), driven by the follow-up worker's handler on a fake clock.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { suggestTime } from '../../../src/domain/events/suggest-time.js';
import { cancelEvent } from '../../../src/domain/events/cancel-event.js';
import { patchEvent } from '../../../src/domain/events/patch-event.js';
import { bookSlot } from '../../../src/domain/events/book-slot.js';
import { followUp } from '../../../src/domain/events/follow-up-event.js';
import { createEvent } from '../../../src/domain/events/create-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, DAVE, DAY_MS, HOUR_MS, asInput, ctx, scene, aliceEvent, slot, type Scene } from '../../helpers/domain-scene.js';

const FRIDAY = slot('2031-03-14T15:00:00Z', '01:00');
const UID = 'calndro-1@calndro.test';

async function counter(s: Scene, id: number, sequence = 2, at = FRIDAY) {
  const dave = ctx({ ...tokenActor(id, DAVE), scope: 'rsvp' } as Actor, 'email');
  return suggestTime(s.deps, dave, id, { slots: [at], source: { kind: 'calendar', uid: UID, sequence } });
}

/** The worker's handler, if the event is due at the clock's now. */
async function tick(s: Scene, id: number) {
  const e = (await s.events.get(id))!;
  if (e.followUpAt && e.followUpAt.getTime() <= s.clock.now().getTime()) await followUp(s.deps, id);
}
const declines = (s: Scene, id: number) => s.events.outboxOf(id, 'decline-counter');

describe('DECLINECOUNTER for an ignored calendar counter (SPEC §12)', () => {
  it('goes once to the proposer COUNTER_DECLINE_AFTER after the counter, naming its UID, SEQUENCE and time; logged', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const t0 = s.clock.now().getTime();
    await counter(s, event.id);
    expect((await s.events.get(event.id))!.followUpAt?.getTime()).toBe(t0 + 7 * DAY_MS);
    s.clock.advance(7 * DAY_MS - 1000);
    await tick(s, event.id);
    expect(declines(s, event.id)).toHaveLength(0);
    s.clock.advance(1000);
    await tick(s, event.id);
    // a second handler run (another instance, a restart) finds it settled
    await followUp(s.deps, event.id);
    s.clock.advance(30 * DAY_MS);
    await tick(s, event.id);
    const rows = declines(s, event.id);
    expect(rows.map((r) => r.recipient)).toEqual([DAVE]);
    expect(rows[0]!.payload.details).toEqual({ suggested: [{ beginMs: Date.parse('2031-03-14T15:00:00Z'), durationMs: HOUR_MS }],
      proposer: DAVE, suggestedVia: 'calendar', counter: { uid: UID, sequence: 2 } });
    // ORGANIZER of the ICS is the meet+ address: it needs its rsvp-only token
    expect(rows[0]!.payload.sealedOrganizerToken).toBeDefined();
    expect(s.log.of(event.id, 'DECLINECOUNTER')).toMatchObject([{ effector: null,
      data: { recipient: DAVE, calendar_uid: UID, calendar_sequence: 2, suggested: [{ begin: '2031-03-14T15:00:00Z', duration: '01:00:00' }] } }]);
    expect((await s.events.get(event.id))!.followUpAt).toBeNull();
  });

  it('is due at respond_by when that is still ahead', async () => {
    const s = scene();
    const respondBy = new Date(s.clock.now().getTime() + 2 * DAY_MS);
    const e = await createEvent(s.deps, ctx(userActor(s.alice)), { title: 'Kick-off', parties: [DAVE], slots: asInput([A, B]), respond_by: respondBy.toISOString() });
    await counter(s, e.id);
    expect((await s.events.get(e.id))!.followUpAt?.getTime()).toBe(respondBy.getTime());
    s.clock.advance(2 * DAY_MS);
    await tick(s, e.id);
    expect(declines(s, e.id).map((r) => r.recipient)).toEqual([DAVE]);
  });

  it('sends nothing when the organizer added the proposed time', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await counter(s, event.id);
    await patchEvent(s.deps, ctx(userActor(s.alice)), event.id, { slots: asInput([A, B, FRIDAY]) });
    s.clock.advance(7 * DAY_MS);
    await tick(s, event.id);
    expect(declines(s, event.id)).toHaveLength(0);
    expect(s.log.of(event.id, 'DECLINECOUNTER')).toHaveLength(0);
    expect((await s.events.get(event.id))!.followUp.counters).toMatchObject([{ outcome: 'added' }]);
  });

  it('sends nothing after the event is cancelled, nor for a suggestion in words', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await counter(s, event.id);
    await suggestTime(s.deps, ctx(tokenActor(event.id, DAVE), 'email'), event.id, { slots: [FRIDAY], source: { kind: 'email', text: 'Friday?' } });
    await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    expect((await s.events.get(event.id))!.followUpAt).toBeNull();
    s.clock.advance(8 * DAY_MS);
    await followUp(s.deps, event.id);
    expect(declines(s, event.id)).toHaveLength(0);

    const other = await aliceEvent(s);
    await suggestTime(s.deps, ctx(tokenActor(other.id, DAVE), 'email'), other.id, { slots: [FRIDAY], source: { kind: 'email', text: 'Friday?' } });
    expect((await s.events.get(other.id))!.followUpAt).toBeNull();
    expect((await s.events.get(other.id))!.followUp.counters).toBeUndefined();
  });

  it('still goes once the event is booked at another time; a newer counter replaces the older one', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await counter(s, event.id, 1, slot('2031-03-15T10:00:00Z', '01:00'));
    await counter(s, event.id, 2);
    await bookSlot(s.deps, ctx(userActor(s.alice)), event.id, { slot: A });
    s.clock.advance(7 * DAY_MS);
    await tick(s, event.id);
    const rows = declines(s, event.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload.details?.counter).toEqual({ uid: UID, sequence: 2 });
    expect((await s.events.get(event.id))!.followUp.counters?.map((c) => c.outcome)).toEqual(['superseded', 'declined']);
  });
});
