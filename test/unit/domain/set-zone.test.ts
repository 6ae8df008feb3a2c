import { describe, expect, it } from 'vitest';
import { setPartyZone } from '../../../src/domain/events/set-zone.js';
import { notifyParties } from '../../../src/domain/events/notify-parties.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, BOB, CAROL, asInput, ctx, rejection, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('setPartyZone (SPEC §12)', () => {
  it('stores a chosen zone by the party\'s address; later mails to that party carry it, others none', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = ctx(tokenActor(event.id, CAROL), 'web');
    const r = await setPartyZone(s.deps, carol, event.id, 'europe/paris', 'chosen');
    expect(r).toMatchObject({ changed: true, zone: 'Europe/Paris' });
    expect((await s.events.get(event.id))!.zones).toEqual({ [CAROL]: { zone: 'Europe/Paris', source: 'chosen' } });
    await notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [BOB, CAROL], slots: asInput([A, B]) });
    const rows = s.events.outboxOf(event.id, 'proposal');
    expect(rows.find((x) => x.recipient === CAROL)!.payload.zone).toBe('Europe/Paris');
    expect(rows.find((x) => x.recipient === BOB)!.payload.zone).toBeUndefined();
  });

  it('a learned offset fills in until a zone is chosen, and never replaces a chosen one; unchanged → no write', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = ctx(tokenActor(event.id, CAROL), 'email');
    expect((await setPartyZone(s.deps, carol, event.id, '+09:00', 'learned')).changed).toBe(true);
    const writes = s.events.writes;
    expect((await setPartyZone(s.deps, carol, event.id, '+09:00', 'learned')).changed).toBe(false);
    expect(s.events.writes).toBe(writes);
    await setPartyZone(s.deps, carol, event.id, 'America/New_York', 'chosen');
    expect((await setPartyZone(s.deps, carol, event.id, '-07:00', 'learned')).changed).toBe(false);
    expect((await s.events.get(event.id))!.zones[CAROL]).toEqual({ zone: 'America/New_York', source: 'chosen' });
  });

  it('the organizer has a zone too; a stranger does not; an unknown zone is a validation error on `zone`', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await setPartyZone(s.deps, ctx(userActor(s.alice), 'web'), event.id, 'Asia/Tokyo', 'chosen');
    expect((await s.events.get(event.id))!.zones['alice@example.org']).toEqual({ zone: 'Asia/Tokyo', source: 'chosen' });
    expect((await rejection(setPartyZone(s.deps, ctx(userActor(s.sam), 'web'), event.id, 'Asia/Tokyo', 'chosen'))).code).toBe('forbidden');
    expect((await rejection(setPartyZone(s.deps, ctx(userActor(s.eve), 'web'), event.id, 'Asia/Tokyo', 'chosen'))).code).toBe('forbidden');
    const bad = await rejection(setPartyZone(s.deps, ctx(tokenActor(event.id, CAROL), 'web'), event.id, 'Mars/Base', 'chosen'));
    expect(bad.code).toBe('validation');
    expect((bad.details.fields as Record<string, string[]>).zone![0]).toMatch(/“Mars\/Base” is not a time zone we know\. .*Europe\/Paris/);
  });

  it('with `ack`, queues one ack to the party naming the zone set, in that zone', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    await setPartyZone(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, 'UTC+9', 'chosen', { ack: { subject: 'Re: Kick-off' } });
    const [ack] = s.events.outboxOf(event.id, 'ack');
    expect(ack!.recipient).toBe(CAROL);
    expect(ack!.payload).toMatchObject({ zone: '+09:00', details: { subject: 'Re: Kick-off', zoneSet: 'UTC+09:00' } });
  });
});

describe('setPartyZone: repeated zone-only replies', () => {
  it('the same zone again is acknowledged at most once an hour; a new zone always', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = ctx(tokenActor(event.id, CAROL), 'email');
    const ack = { ack: { subject: 'Re: Kick-off' } };
    await setPartyZone(s.deps, carol, event.id, 'Europe/Paris', 'chosen', ack);
    await setPartyZone(s.deps, carol, event.id, 'Europe/Paris', 'chosen', ack);
    expect(s.events.outboxOf(event.id, 'ack')).toHaveLength(1);
    await setPartyZone(s.deps, carol, event.id, 'Europe/Rome', 'chosen', ack);
    expect(s.events.outboxOf(event.id, 'ack')).toHaveLength(2);
  });
});
