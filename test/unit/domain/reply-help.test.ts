import { describe, expect, it } from 'vitest';
import { replyWithHelp } from '../../../src/domain/events/reply-help.js';
import { tokenActor } from '../../helpers/fakes.js';
import { CAROL, DAVE, HOUR_MS, ctx, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('replyWithHelp: rate limit per party (MailHistory.countSince)', () => {
  const details = { problem: 'unparseable' };

  it('queues at most perHour help mails per party in the last hour, logs REPLY every time', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = ctx(tokenActor(event.id, CAROL), 'email');
    const sent: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      sent.push(await replyWithHelp(s.deps, carol, event.id, details, 3));
      s.clock.advance(60_000);
    }
    expect(sent).toEqual([true, true, true, false]);
    expect(s.events.outboxOf(event.id, 'help').map((r) => r.recipient)).toEqual([CAROL, CAROL, CAROL]);
    expect(s.log.of(event.id, 'REPLY').map((e) => e.data.answered)).toEqual([true, true, true, false]);
    expect(s.log.of(event.id, 'REPLY')[0]).toMatchObject({ effector: CAROL, data: { understood: false, problem: 'unparseable', via: 'email' } });

    const last = s.events.countCalls.at(-1)!;
    expect(last).toEqual({ recipient: CAROL, kind: 'help', since: new Date(s.clock.now().getTime() - 60_000 - HOUR_MS) });

    // another party has its own budget
    expect(await replyWithHelp(s.deps, ctx(tokenActor(event.id, DAVE), 'email'), event.id, details, 3)).toBe(true);

    // an hour after the first help mail, one more is allowed
    s.clock.current = new Date(s.events.outboxOf(event.id, 'help')[0]!.createdAt.getTime() + HOUR_MS + 1);
    expect(await replyWithHelp(s.deps, carol, event.id, details, 3)).toBe(true);
    expect(s.events.outboxOf(event.id, 'help').filter((r) => r.recipient === CAROL)).toHaveLength(4);
  });

  it('the help mail carries the details, the current list and a fresh token', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await replyWithHelp(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, { problem: 'unknown numbers', unknownNumbers: [7] }, 3);
    const [row] = s.events.outboxOf(event.id, 'help');
    expect(row!.payload).toMatchObject({ recipient: CAROL, details: { problem: 'unknown numbers', unknownNumbers: [7] } });
    expect(row!.payload.slots.map((v) => v.number)).toEqual([1, 2]);
    expect(s.events.tokens.find((t) => t.hash === row!.tokenHash)?.email).toBe(CAROL);
  });

  it('perHour 0 never answers', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect(await replyWithHelp(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, details, 0)).toBe(false);
    expect(s.events.outbox).toEqual([]);
  });

  it('by mail, the inbound message is recorded answered, or ignored past the cap, with the REPLY entry', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = (inboundId: number) => ({ ...ctx(tokenActor(event.id, CAROL), 'email'), inboundId });
    expect(await replyWithHelp(s.deps, carol(1), event.id, details, 1)).toBe(true);
    expect(await replyWithHelp(s.deps, carol(2), event.id, details, 1)).toBe(false);
    expect(s.events.inboundMarks).toEqual([
      { id: 1, status: 'answered', reason: 'unparseable' },
      { id: 2, status: 'ignored', reason: 'unparseable (help reply rate-limited)' },
    ]);
    expect(s.log.of(event.id, 'REPLY').map((e) => e.data.inbound_id)).toEqual([1, 2]);
  });

});
