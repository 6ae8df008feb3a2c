import { describe, expect, it } from 'vitest';
import { slotKey } from '../../../src/domain/slots.js';
import { patchEvent } from '../../../src/domain/events/patch-event.js';
import { cancelEvent } from '../../../src/domain/events/cancel-event.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { slot, A, B, C, asInput, BOB, CAROL, DAVE, ctx, rejection, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('patchEvent', () => {
  it("records the answer of a party (user or token), replacing the slot list", async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    const patched = await patchEvent(s.deps, ctx(userActor(s.bob)), event.id, { slots: asInput([A, B]) });
    expect(patched.slots).toEqual([A, B]);
    expect(patched.answers).toEqual({ [BOB]: [slotKey(A), slotKey(B)] });
    expect(patched.version).toBe(event.version + 1);

    const byToken = await patchEvent(s.deps, ctx(tokenActor(event.id, CAROL), 'web'), event.id, { slots: asInput([B]) });
    expect(byToken.answers).toEqual({ [BOB]: [slotKey(A), slotKey(B)], [CAROL]: [slotKey(B)] });
    expect(s.log.of(event.id, 'UPDATE').at(-1)).toMatchObject({
      effector: CAROL, slots: [B], data: { via: 'web', token: `fp:${CAROL}` },
    });
  });

  it('does not record an answer for the owner who is not a party', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const patched = await patchEvent(s.deps, ctx(userActor(s.alice)), event.id, { slots: asInput([A]), title: 'Renamed' });
    expect(patched).toMatchObject({ title: 'Renamed', slots: [A], status: 'open' });
    expect(patched.answers).toEqual({});
    expect(s.log.of(event.id, 'UPDATE').at(-1)).toMatchObject({ effector: s.alice.email, slots: [A], data: { via: 'api', title: 'Renamed' } });
  });

  it('a title-only patch records no answer, even by a party', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect((await patchEvent(s.deps, ctx(userActor(s.bob)), event.id, { title: 'New' })).answers).toEqual({});
  });

  it('ignores parties; an empty body is a validation error and writes nothing', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const err = await rejection(patchEvent(s.deps, ctx(userActor(s.alice)), event.id, { parties: ['eve@example.org'] } as never));
    expect(err.code).toBe('validation');
    expect(err.details).toEqual({ fields: { non_field_errors: ['Nothing to update: send "slots", "title" and/or "respond_by".'] } });
    const ok = await patchEvent(s.deps, ctx(userActor(s.alice)), event.id, { title: 'T', parties: ['eve@example.org'] } as never);
    expect(ok.parties).toEqual([BOB, CAROL, DAVE]);
    expect(s.log.of(event.id, 'UPDATE')).toHaveLength(2); // created + one patch
  });

  it('a stranger is forbidden and a cancelled event is closed', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    expect((await rejection(patchEvent(s.deps, ctx(userActor(s.eve)), event.id, { title: 'x' }))).code).toBe('forbidden');
    await cancelEvent(s.deps, ctx(userActor(s.alice)), event.id);
    expect((await rejection(patchEvent(s.deps, ctx(userActor(s.bob)), event.id, { title: 'x' }))).code).toBe('event_closed');
  });
});
