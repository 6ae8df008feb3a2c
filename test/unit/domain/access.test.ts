import { describe, expect, it } from 'vitest';
import { authorize, requireUser, type EventOperation } from '../../../src/domain/access.js';
import { loadEvent } from '../../../src/domain/events/load-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { CAROL, rejection, thrown, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('authorize (SPEC §3 table)', () => {
  const ops: EventOperation[] = ['view', 'patch', 'notify', 'log', 'cancel'];
  const nonCancel: EventOperation[] = ['view', 'patch', 'notify', 'log'];

  async function withEvent() {
    const s = scene();
    return { s, event: await aliceEvent(s) };
  }

  it('the owner may do everything, also when not a party', async () => {
    const { s, event } = await withEvent();
    expect(event.parties).not.toContain(s.alice.email);
    for (const op of ops) expect(() => authorize(event, userActor(s.alice), op)).not.toThrow();
  });

  it('staff may do everything on any event', async () => {
    const { s, event } = await withEvent();
    for (const op of ops) expect(() => authorize(event, userActor(s.sam), op)).not.toThrow();
  });

  it('a signed-in party may view, patch, notify and read the log, but not cancel', async () => {
    const { s, event } = await withEvent();
    for (const op of nonCancel) expect(() => authorize(event, userActor(s.bob), op)).not.toThrow();
    expect(thrown(() => authorize(event, userActor(s.bob), 'cancel')).code).toBe('forbidden');
  });

  it('a stranger is forbidden everything', async () => {
    const { s, event } = await withEvent();
    for (const op of ops) expect(thrown(() => authorize(event, userActor(s.eve), op)).code).toBe('forbidden');
  });

  it('a party token may view, patch, notify and read the log of its event, but not cancel', async () => {
    const { event } = await withEvent();
    for (const op of nonCancel) expect(() => authorize(event, tokenActor(event.id, CAROL), op)).not.toThrow();
    expect(thrown(() => authorize(event, tokenActor(event.id, CAROL), 'cancel')).code).toBe('forbidden');
  });

  it('a token for another event → token_wrong_event, for every operation', async () => {
    const { event } = await withEvent();
    for (const op of ops) expect(thrown(() => authorize(event, tokenActor(event.id + 1, CAROL), op)).code).toBe('token_wrong_event');
  });

  it('a token whose address is not a party is forbidden', async () => {
    const { event } = await withEvent();
    expect(thrown(() => authorize(event, tokenActor(event.id, 'eve@example.org'), 'view')).code).toBe('forbidden');
  });

  it('requireUser refuses event tokens', () => {
    expect(thrown(() => requireUser(tokenActor(1, CAROL))).code).toBe('forbidden');
  });

  it('loadEvent: unknown id → event_not_found; a token for another event learns nothing → token_wrong_event', async () => {
    const { s, event } = await withEvent();
    expect((await rejection(loadEvent(s.deps, userActor(s.sam), 999, 'view'))).code).toBe('event_not_found');
    expect((await rejection(loadEvent(s.deps, userActor(s.sam), 0, 'view'))).code).toBe('event_not_found');
    expect((await rejection(loadEvent(s.deps, tokenActor(event.id, CAROL), 999, 'view'))).code).toBe('token_wrong_event');
    expect((await rejection(loadEvent(s.deps, userActor(s.eve), event.id, 'view'))).code).toBe('forbidden');
  });
});
