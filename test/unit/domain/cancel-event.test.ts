import { describe, expect, it } from 'vitest';
import { slotKey } from '../../../src/domain/slots.js';
import { answerEvent } from '../../../src/domain/events/answer-event.js';
import { notifyParties } from '../../../src/domain/events/notify-parties.js';
import { cancelEvent } from '../../../src/domain/events/cancel-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, asInput, BOB, CAROL, DAVE, ctx, rejection, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('cancelEvent', () => {
  it('without an invite sent: status cancelled, CANCEL logged, no mail, same sequence', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [BOB], slots: asInput([A, B]) }); // a proposal is not an invite
    const before = s.events.outbox.length;
    const after = await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    expect(after).toMatchObject({ status: 'cancelled', inviteSequence: 0, invitedAt: null });
    expect(s.events.outbox).toHaveLength(before);
    expect(s.log.of(event.id, 'CANCEL')).toEqual([expect.objectContaining({ effector: s.alice.email, data: { via: 'api' } })]);
    expect(s.log.of(event.id, 'UPDATE')).toHaveLength(1); // the log is kept
  });

  it('after the invite: a cancellation row per party with a higher sequence', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    for (const who of [BOB, CAROL, DAVE]) await answerEvent(s.deps, ctx(tokenActor(event.id, who)), event.id, [A]);
    const invite = s.events.outboxOf(event.id, 'confirmation');
    expect(invite).toHaveLength(3);

    const after = await cancelEvent(s.deps, ctx(userActor(s.sam)), event.id);
    expect(after).toMatchObject({ status: 'cancelled', inviteSequence: 1 });
    const rows = s.events.outboxOf(event.id, 'cancellation');
    expect(rows.map((r) => r.recipient)).toEqual([BOB, CAROL, DAVE]);
    for (const row of rows) {
      expect(row.payload.sequence).toBe(1);
      expect(row.payload.sequence!).toBeGreaterThan(invite[0]!.payload.sequence!);
      expect(row.payload.confirmedSlot).toMatchObject({ beginMs: Date.parse('2031-03-11T14:00:00Z'), key: slotKey(A) });
    }
    expect(s.log.of(event.id, 'CANCEL')).toHaveLength(1);
  });

  it('cancelling twice changes nothing more', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    for (const who of [BOB, CAROL, DAVE]) await answerEvent(s.deps, ctx(tokenActor(event.id, who)), event.id, [A]);
    await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    const rows = s.events.outbox.length;
    const again = await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    expect(again).toMatchObject({ status: 'cancelled', inviteSequence: 1 });
    expect(s.events.outbox).toHaveLength(rows);
    expect(s.log.of(event.id, 'CANCEL')).toHaveLength(1);
  });

  it('a party (signed in or by token) and a stranger cannot cancel', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect((await rejection(cancelEvent(s.deps, ctx(userActor(s.bob)), event.id))).code).toBe('forbidden');
    expect((await rejection(cancelEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id))).code).toBe('forbidden');
    expect((await rejection(cancelEvent(s.deps, ctx(userActor(s.eve)), event.id))).code).toBe('forbidden');
    expect(s.events.records.get(event.id)!.status).toBe('open');
  });
});
