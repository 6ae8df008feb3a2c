import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { suggestTime, SUGGESTIONS_PER_HOUR } from '../../../src/domain/events/suggest-time.js';
import { cancelEvent } from '../../../src/domain/events/cancel-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, CAROL, DAVE, ctx, rejection, scene, aliceEvent, slot } from '../../helpers/domain-scene.js';

const FRIDAY = slot('2031-03-14T15:00:00Z', '01:00');
const words = { kind: 'email' as const, text: 'how about Friday 3pm?' };

describe('suggestTime (SPEC §12)', () => {
  it('logs SUGGEST with the time in UTC and the proposer, mails the organizer once and acknowledges; the list stays', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const { event: after, forwarded } = await suggestTime(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id,
      { slots: [FRIDAY], source: words }, { inReplyTo: '<m1@x>', subject: 'Re: Kick-off' });
    expect(forwarded).toBe(true);
    expect(after.slots).toEqual([A, B]);
    expect(after.version).toBe(event.version + 1);
    expect(s.log.of(event.id, 'SUGGEST')).toMatchObject([{ effector: CAROL, slots: [A, B], data: {
      via: 'email', proposer: CAROL, source: 'email', forwarded: true, text: 'how about Friday 3pm?',
      suggested: [{ begin: '2031-03-14T15:00:00Z', duration: '01:00:00' }] } }]);
    const toOwner = s.events.outboxOf(event.id, 'suggestion');
    expect(toOwner.map((r) => r.recipient)).toEqual(['alice@example.org']);
    expect(toOwner[0]!.payload.details).toEqual({ suggested: [{ beginMs: Date.parse('2031-03-14T15:00:00Z'), durationMs: 3_600_000 }], proposer: CAROL, suggestedVia: 'email' });
    const ack = s.events.outboxOf(event.id, 'suggested');
    expect(ack.map((r) => r.recipient)).toEqual([CAROL]);
    expect(ack[0]!.payload.details).toMatchObject({ inReplyTo: '<m1@x>', subject: 'Re: Kick-off', proposer: CAROL });
    // Nobody else is told: a suggestion is not a change.
    expect(s.events.outboxOf(event.id).map((r) => r.kind).sort()).toEqual(['suggested', 'suggestion']);
  });

  it('a calendar COUNTER through the rsvp-only token is recorded with its UID and SEQUENCE', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const calendar = { kind: 'calendar' as const, uid: `calndro-${event.id}@calndro.test`, sequence: 1, comment: 'Friday?\u0007' };
    await suggestTime(s.deps, ctx({ ...tokenActor(event.id, DAVE), scope: 'rsvp' } as Actor, 'email'), event.id, { slots: [FRIDAY], source: calendar });
    expect(s.log.of(event.id, 'SUGGEST')[0]!.data).toMatchObject({ source: 'calendar', calendar_uid: calendar.uid, calendar_sequence: 1, comment: 'Friday?' });
  });

  it('past the hourly cap the suggestion is logged but not forwarded; the proposer is still told', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = ctx(tokenActor(event.id, CAROL), 'email');
    const results: boolean[] = [];
    for (let i = 0; i <= SUGGESTIONS_PER_HOUR; i++) results.push((await suggestTime(s.deps, carol, event.id, { slots: [FRIDAY], source: words })).forwarded);
    expect(results.filter(Boolean)).toHaveLength(SUGGESTIONS_PER_HOUR);
    expect(results.at(-1)).toBe(false);
    expect(s.log.of(event.id, 'SUGGEST').at(-1)!.data.forwarded).toBe(false);
    expect(s.events.outboxOf(event.id, 'suggestion')).toHaveLength(SUGGESTIONS_PER_HOUR);
  });

  it('refuses a stranger, a cancelled event, and a time of no length or over 7 days', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect((await rejection(suggestTime(s.deps, ctx(userActor(s.eve)), event.id, { slots: [FRIDAY], source: words }))).code).toBe('forbidden');
    expect((await rejection(suggestTime(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, { slots: [slot('2031-03-14T15:00:00Z', '8 00:00:00')], source: words }))).code).toBe('validation');
    await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    expect((await rejection(suggestTime(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, { slots: [FRIDAY], source: words }))).code).toBe('event_closed');
    expect(s.log.of(event.id, 'SUGGEST')).toHaveLength(0);
  });
});
