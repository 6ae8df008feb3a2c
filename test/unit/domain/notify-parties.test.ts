import { describe, expect, it } from 'vitest';
import { notifyParties } from '../../../src/domain/events/notify-parties.js';
import { cancelEvent } from '../../../src/domain/events/cancel-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, asInput, BOB, CAROL, DAVE, ctx, rejection, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('notifyParties', () => {
  it('one NOTIFY entry and one proposal row with a fresh token per recipient; the From name is the caller\'s address', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    // the current list written in another order and offset is not stale
    const slots = [{ begin: '2031-03-12T10:00:00+01:00', duration: 'PT30M' }, { begin: '2031-03-11T14:00:00Z', duration: '01:00' }];
    await notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [BOB, ' Carol@Example.org'], slots, sender: ' Alice ' });
    const rows = s.events.outboxOf(event.id);
    const alice = s.alice.email;
    expect(rows.map((r) => [r.kind, r.recipient, r.payload.senderName])).toEqual([['proposal', BOB, alice], ['proposal', CAROL, alice]]);
    expect(s.events.tokens.map((t) => t.email)).toEqual([BOB, CAROL]);
    expect(s.log.of(event.id, 'NOTIFY')).toEqual([
      expect.objectContaining({ effector: alice, slots: [A, B], data: { via: 'api', recipient: BOB, sender: 'Alice' } }),
      expect.objectContaining({ effector: alice, slots: [A, B], data: { via: 'api', recipient: CAROL, sender: 'Alice' } }),
    ]);
  });

  it('without a sender the actor’s address is the sender name', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await notifyParties(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, { parties: [DAVE], slots: asInput([A, B]) });
    expect(s.events.outbox[0]!.payload.senderName).toBe(CAROL);
  });

  it('stale slots → stale_slots with the current list in details, nothing written', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const err = await rejection(notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [BOB], slots: asInput([A]) }));
    expect(err.code).toBe('stale_slots');
    expect(err.details).toEqual({ slots: [
      { begin: '2031-03-11T14:00:00Z', duration: '01:00:00' },
      { begin: '2031-03-12T09:00:00Z', duration: '00:30:00' },
    ] });
    expect(s.events.outbox).toEqual([]);
    expect(s.log.of(event.id, 'NOTIFY')).toEqual([]);
  });

  it('an address that is not a party → validation on parties', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const err = await rejection(notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [BOB, 'eve@example.org'], slots: asInput([A, B]) }));
    expect(err.code).toBe('validation');
    expect(err.details).toEqual({ fields: { parties: ['eve@example.org is not a party of this event.'] } });
    expect(s.events.outbox).toEqual([]);
  });

  it.each([
    [{ slots: [] }, 'parties'],
    [{ parties: [], slots: [] }, 'parties'],
    [{ parties: [BOB] }, 'slots'],
    [{ parties: [BOB], slots: [], sender: 7 }, 'sender'],
    [{ parties: [BOB], slots: [], sender: 'Al\u001b[2Jice' }, 'sender'],
  ])('validation: %j', async (input, field) => {
    const s = scene();
    const event = await aliceEvent(s);
    const err = await rejection(notifyParties(s.deps, ctx(userActor(s.alice)), event.id, input));
    expect(err.code).toBe('validation');
    expect(Object.keys((err.details as { fields: object }).fields)).toEqual([field]);
  });

  it('a cancelled event → event_closed; a stranger → forbidden', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect((await rejection(notifyParties(s.deps, ctx(userActor(s.eve)), event.id, { parties: [BOB], slots: asInput([A, B]) }))).code).toBe('forbidden');
    await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    expect((await rejection(notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [BOB], slots: asInput([A, B]) }))).code).toBe('event_closed');
  });
});
