import { describe, expect, it } from 'vitest';
import { slotKey } from '../../../src/domain/slots.js';
import { bookSlot, readBooking } from '../../../src/domain/events/book-slot.js';
import { answerEvent } from '../../../src/domain/events/answer-event.js';
import { slotViews } from '../../../src/domain/events/mail-rows.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, BOB, C, CAROL, DAVE, asInput, ctx, rejection, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('bookSlot', () => {
  it('the owner books: confirmed on that slot, one invite per party, CONFIRM with booked_by and via', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    const after = await bookSlot(s.deps, ctx(userActor(s.alice), 'web'), event.id, { slot: B });
    expect(after).toMatchObject({ status: 'confirmed', slots: [B] });
    expect(after.invitedAt).not.toBeNull();
    const invites = s.events.outboxOf(event.id, 'confirmation');
    expect(invites.map((r) => r.recipient)).toEqual([BOB, CAROL, DAVE]);
    for (const r of invites) expect(r.payload.confirmedSlot).toMatchObject({ key: slotKey(B), number: 1 });
    expect(s.log.of(event.id, 'CONFIRM')).toEqual([expect.objectContaining({
      effector: s.alice.email, slots: [B], data: { via: 'web', recipients: [BOB, CAROL, DAVE], booked_by: s.alice.email } })]);
  });

  it('the automatic rule and a booking build the same invite (one function)', async () => {
    const s = scene();
    const auto = await aliceEvent(s, [A]);
    for (const who of [BOB, CAROL, DAVE]) await answerEvent(s.deps, ctx(tokenActor(auto.id, who)), auto.id, [A]);
    const booked = await aliceEvent(s, [A, B]);
    await bookSlot(s.deps, ctx(userActor(s.alice)), booked.id, { slot: A });
    const shape = (id: number) => s.events.outboxOf(id, 'confirmation').map((r) => {
      const { sealedToken: _t, sealedOrganizerToken: _o, eventId: _e, ...rest } = r.payload;
      return rest;
    });
    expect(shape(booked.id)).toEqual(shape(auto.id));
  });

  it('by number against the mail\'s list; a number whose slot left the list is refused with the current list', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    const mailList = slotViews([A, B, C]);
    await answerEvent(s.deps, ctx(tokenActor(event.id, BOB)), event.id, [A, C]); // B leaves the list
    const stale = await rejection(bookSlot(s.deps, ctx(userActor(s.alice)), event.id, { number: 2, list: mailList }));
    expect(stale.code).toBe('slot_not_listed');
    expect(stale.details).toEqual({ number: 2, slots: asInput([A, C]) });
    const ok = await bookSlot(s.deps, ctx(userActor(s.alice)), event.id, { number: 3, list: mailList });
    expect(ok.slots).toEqual([C]);
  });

  it('owner or staff only; the owner\'s own token works; a party\'s token and a stranger get not_organizer', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect((await rejection(bookSlot(s.deps, ctx(tokenActor(event.id, BOB)), event.id, { slot: A }))).code).toBe('not_organizer');
    expect((await rejection(bookSlot(s.deps, ctx(userActor(s.bob)), event.id, { slot: A }))).code).toBe('not_organizer');
    expect((await rejection(bookSlot(s.deps, ctx(userActor(s.eve)), event.id, { slot: A }))).code).toBe('not_organizer');
    expect(s.events.records.get(event.id)!.status).toBe('open');
    expect((await bookSlot(s.deps, ctx(userActor(s.sam)), event.id, { slot: A })).status).toBe('confirmed');
    const other = await aliceEvent(s);
    expect((await bookSlot(s.deps, ctx(tokenActor(other.id, s.alice.email)), other.id, { slot: B })).status).toBe('confirmed');
  });

  it('a confirmed or cancelled event is closed: a second booking sends nothing more', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await bookSlot(s.deps, ctx(userActor(s.alice)), event.id, { slot: A });
    const rows = s.events.outbox.length;
    expect((await rejection(bookSlot(s.deps, ctx(userActor(s.alice)), event.id, { slot: A }))).code).toBe('event_closed');
    expect(s.events.outbox).toHaveLength(rows);
    expect(s.log.of(event.id, 'CONFIRM')).toHaveLength(1);
  });

  it('readBooking: one slot, any offset; field messages otherwise', () => {
    const s = scene();
    expect(readBooking(s.deps, { slot: { begin: '2031-03-11T15:00:00+01:00', duration: 'PT1H' } })).toEqual({ slot: A });
    const bad = (() => { try { readBooking(s.deps, { slot: { begin: 'x', duration: '01:00' } }); } catch (e) { return e; } })() as { details: unknown };
    expect(bad.details).toEqual({ fields: { slot: ['begin "x" is not an ISO 8601 date-time.'] } });
  });
});
