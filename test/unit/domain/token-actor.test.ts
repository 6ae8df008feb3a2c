import { describe, expect, it } from 'vitest';
import { actorForToken } from '../../../src/domain/token-actor.js';
import { notifyParties } from '../../../src/domain/events/notify-parties.js';
import { loadEvent } from '../../../src/domain/events/load-event.js';
import { userActor } from '../../helpers/fakes.js';
import { A, B, asInput, CAROL, DAY_MS, ctx, rejection, scene, aliceEvent, tokenOf } from '../../helpers/domain-scene.js';

describe('actorForToken', () => {
  async function issued() {
    const s = scene();
    const event = await aliceEvent(s);
    await notifyParties(s.deps, ctx(userActor(s.alice)), event.id, { parties: [CAROL], slots: asInput([A, B]) });
    return { s, event, token: tokenOf(s.events.outbox[0]!) };
  }

  it('a token sent in a mail stands for its party on its event, identified by fingerprint', async () => {
    const { s, event, token } = await issued();
    const actor = await actorForToken(s.deps, token);
    expect(actor).toEqual({
      kind: 'token', eventId: event.id, email: CAROL, fingerprint: s.deps.tokens.fingerprint(token),
      expiresAt: new Date(s.clock.now().getTime() + 14 * DAY_MS),
    });
    expect(await actorForToken(s.deps, token.toUpperCase())).toMatchObject({ email: CAROL });
  });

  it('unknown or malformed → not_authenticated', async () => {
    const { s, token } = await issued();
    const unknown = token.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    for (const t of [unknown, '', 'xyz', token.slice(1), `${token}0`, 'g'.repeat(40)]) {
      expect((await rejection(actorForToken(s.deps, t))).code).toBe('not_authenticated');
    }
  });

  it('expired → token_expired with expired_at (also exactly at the expiry instant)', async () => {
    const { s, token } = await issued();
    const expiresAt = new Date(s.clock.now().getTime() + 14 * DAY_MS);
    s.clock.current = new Date(expiresAt.getTime() - 1);
    await expect(actorForToken(s.deps, token)).resolves.toMatchObject({ email: CAROL });
    s.clock.current = expiresAt;
    const err = await rejection(actorForToken(s.deps, token));
    expect(err.code).toBe('token_expired');
    expect(err.details).toEqual({ expired_at: expiresAt.toISOString() });
    s.clock.advance(DAY_MS);
    expect((await rejection(actorForToken(s.deps, token))).details).toEqual({ expired_at: expiresAt.toISOString() });
  });

  it('a token works only on its own event', async () => {
    const { s, event, token } = await issued();
    const other = await aliceEvent(s);
    const actor = await actorForToken(s.deps, token);
    expect((await rejection(loadEvent(s.deps, actor, other.id, 'view'))).code).toBe('token_wrong_event');
    await expect(loadEvent(s.deps, actor, event.id, 'view')).resolves.toMatchObject({ id: event.id });
  });
});
