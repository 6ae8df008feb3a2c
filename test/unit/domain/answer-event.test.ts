import { describe, expect, it } from 'vitest';
import { slotKey } from '../../../src/domain/slots.js';
import { patchEvent } from '../../../src/domain/events/patch-event.js';
import { answerEvent } from '../../../src/domain/events/answer-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { slot, A, B, C, asInput, BOB, CAROL, DAVE, DAY_MS, HOUR_MS, ctx, rejection, scene, aliceEvent, tokenOf } from '../../helpers/domain-scene.js';

describe('answerEvent', () => {
  it('notifies the other parties, one proposal row and a fresh token each, not the answerer', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    const { event: after, confirmed } = await answerEvent(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, [A, B]);
    expect(confirmed).toBe(false);
    expect(after).toMatchObject({ status: 'open', slots: [A, B] });
    expect(after.answers).toEqual({ [CAROL]: [slotKey(A), slotKey(B)] });

    const rows = s.events.outboxOf(event.id);
    expect(rows.map((r) => [r.kind, r.recipient])).toEqual([['proposal', BOB], ['proposal', DAVE]]);
    expect(s.events.tokens.map((t) => t.email)).toEqual([BOB, DAVE]);
    const expiresAt = new Date(s.clock.now().getTime() + 14 * DAY_MS);
    for (const row of rows) {
      const token = s.events.tokens.find((t) => t.hash === row.tokenHash)!;
      expect(token).toMatchObject({ email: row.recipient, eventId: event.id, expiresAt });
      expect(s.deps.tokens.hash(tokenOf(row))).toBe(row.tokenHash);
      expect(row.payload).toMatchObject({
        kind: 'proposal', recipient: row.recipient, senderName: CAROL, tokenExpiresAt: expiresAt.toISOString(),
        slots: [{ number: 1, beginMs: Date.parse('2031-03-11T14:00:00Z'), durationMs: HOUR_MS }, { number: 2, beginMs: Date.parse('2031-03-12T09:00:00Z'), durationMs: HOUR_MS / 2 }],
      });
    }
    expect(new Set(rows.map((r) => r.tokenHash)).size).toBe(2);
    expect(s.log.of(event.id).map((e) => e.occurrence)).toEqual(['UPDATE', 'UPDATE', 'NOTIFY', 'NOTIFY']);
    expect(s.log.of(event.id, 'NOTIFY')).toMatchObject([
      { effector: CAROL, data: { via: 'email', recipient: BOB, sender: CAROL } },
      { effector: CAROL, data: { via: 'email', recipient: DAVE, sender: CAROL } },
    ]);
  });

  it('each answer issues new tokens (a second notice does not reuse the first)', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    await answerEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, [A, B]);
    await answerEvent(s.deps, ctx(tokenActor(event.id, DAVE)), event.id, [A, B]);
    const toBob = s.events.outboxOf(event.id).filter((r) => r.recipient === BOB);
    expect(toBob).toHaveLength(2);
    expect(toBob[0]!.tokenHash).not.toBe(toBob[1]!.tokenHash);
  });

  it('completing the rule confirms: status confirmed, one confirmation row per party, no proposal rows', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await answerEvent(s.deps, ctx(userActor(s.bob)), event.id, [A]);
    await answerEvent(s.deps, ctx(tokenActor(event.id, DAVE)), event.id, [A]);
    const before = s.events.outbox.length;

    const { event: after, confirmed } = await answerEvent(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, [A]);
    expect(confirmed).toBe(true);
    expect(after.status).toBe('confirmed');
    expect(after.invitedAt).toEqual(s.clock.now());
    const rows = s.events.outbox.slice(before);
    expect(rows.map((r) => [r.kind, r.recipient])).toEqual([['confirmation', BOB], ['confirmation', CAROL], ['confirmation', DAVE]]);
    for (const row of rows) {
      expect(row.payload.confirmedSlot).toEqual({ number: 1, beginMs: Date.parse('2031-03-11T14:00:00Z'), durationMs: HOUR_MS, key: slotKey(A) });
      expect(row.payload.sequence).toBe(0);
    }
    expect(s.log.of(event.id, 'CONFIRM')).toEqual([
      expect.objectContaining({ effector: CAROL, slots: [A], data: expect.objectContaining({ recipients: [BOB, CAROL, DAVE] }) }),
    ]);
    expect(s.log.of(event.id).at(-1)!.occurrence).not.toBe('NOTIFY');
    expect(s.log.of(event.id, 'NOTIFY')).toHaveLength(4); // from the first two answers only, one per other party
  });

  it('a confirmed event cannot be answered again (the invite goes out once)', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    for (const who of [BOB, CAROL, DAVE]) await answerEvent(s.deps, ctx(tokenActor(event.id, who)), event.id, [A]);
    const rows = s.events.outbox.length;
    expect((await rejection(answerEvent(s.deps, ctx(tokenActor(event.id, BOB)), event.id, [A]))).code).toBe('event_closed');
    expect(s.events.outboxOf(event.id, 'confirmation')).toHaveLength(3);
    expect(s.events.outbox).toHaveLength(rows);
  });

  it('expectedSlots that no longer match → stale_slots with the current list, nothing written', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    await patchEvent(s.deps, ctx(userActor(s.alice)), event.id, { slots: asInput([A, C]) });
    const version = s.events.records.get(event.id)!.version;
    const logCount = s.log.entries.length;
    const err = await rejection(answerEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, [A], { expectedSlots: [A, B, C] }));
    expect(err.code).toBe('stale_slots');
    expect(err.details).toEqual({ slots: asInput([A, C]) });
    expect(s.events.records.get(event.id)!.version).toBe(version);
    expect(s.events.outbox).toEqual([]);
    expect(s.log.entries).toHaveLength(logCount);
  });

  it('expectedSlots equal to the current list in another order applies', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B]);
    const r = await answerEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, [B], { expectedSlots: [B, A] });
    expect(r.event.slots).toEqual([B]);
  });

  it('with ack, the answerer gets an acknowledgment with the numbers kept', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    await answerEvent(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, [A, C], { ack: { subject: 'Re: Kick-off' } });
    const acks = s.events.outboxOf(event.id, 'ack');
    expect(acks.map((r) => r.recipient)).toEqual([CAROL]);
    expect(acks[0]!.payload.details).toEqual({ kept: [1, 3], subject: 'Re: Kick-off' });
  });
});

describe('mutateEvent (through answerEvent): one write, decided on the stored event', () => {
  it('decides on the event as stored: a slot removed before the answer makes it stale, nothing written', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    await patchEvent(s.deps, ctx(userActor(s.alice)), event.id, { slots: asInput([A, C]) });
    const writes = s.events.writes;
    const err = await rejection(answerEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, [A], { expectedSlots: [A, B, C] }));
    expect(err.code).toBe('stale_slots');
    expect(err.details).toEqual({ slots: asInput([A, C]) });
    expect(s.events.writes).toBe(writes);
    expect(s.events.outbox).toEqual([]);
  });

  it('an answer by mail records its inbound message as applied, in the same write', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B]);
    const carol = { ...ctx(tokenActor(event.id, CAROL), 'email'), inboundId: 7 };
    await answerEvent(s.deps, carol, event.id, [A]);
    expect(s.events.inboundMarks).toEqual([{ id: 7, status: 'applied', reason: 'kept 1' }]);
    expect(s.log.of(event.id, 'UPDATE').at(-1)!.data).toMatchObject({ via: 'email', inbound_id: 7 });
  });

  it('the same inbound message again → already_applied, and nothing more is written', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B]);
    const carol = { ...ctx(tokenActor(event.id, CAROL), 'email'), inboundId: 7 };
    await answerEvent(s.deps, carol, event.id, [A]);
    const before = { log: s.log.entries.length, outbox: s.events.outbox.length, writes: s.events.writes };
    const err = await rejection(answerEvent(s.deps, carol, event.id, [A]));
    expect(err.code).toBe('already_applied');
    expect({ log: s.log.entries.length, outbox: s.events.outbox.length, writes: s.events.writes }).toEqual(before);
  });

  it('an answer through another door carries no inbound mark', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B]);
    await answerEvent(s.deps, ctx(tokenActor(event.id, CAROL), 'web'), event.id, [A]);
    expect(s.events.inboundMarks).toEqual([]);
  });
});
