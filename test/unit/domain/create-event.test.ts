import { describe, expect, it } from 'vitest';
import { createEvent } from '../../../src/domain/events/create-event.js';
import { CONTROL_MESSAGE } from '../../../src/domain/text.js';
import type { Slot } from '../../../src/domain/slots.js';
import { tokenActor, userActor } from '../../helpers/fakes.js';
import { A, B, asInput, BOB, CAROL, DAVE, ctx, rejection, scene, aliceEvent } from '../../helpers/domain-scene.js';

describe('createEvent', () => {
  it('creates an open event owned by the user, with normalized parties and slots, logged as created', async () => {
    const s = scene();
    const event = await createEvent(s.deps, ctx(userActor(s.alice)), {
      title: '  Kick-off  ',
      parties: [' Bob@Example.org ', CAROL, 'CAROL@example.org'],
      slots: [
        { begin: '2031-03-12T10:00:00+01:00', duration: 'PT30M' },
        { begin: '2031-03-11T14:00:00', duration: '01:00' },
        { begin: '2031-03-11T16:00:00+02:00', duration: '01:00:00' }, // A again
      ],
    });
    expect(event).toMatchObject({ title: 'Kick-off', ownerId: s.alice.id, ownerEmail: s.alice.email, status: 'open', parties: [BOB, CAROL] });
    expect(asInput(event.slots)).toEqual(asInput([A, B]));
    expect(s.log.of(event.id)).toEqual([
      expect.objectContaining({ occurrence: 'UPDATE', effector: s.alice.email, slots: [A, B], data: { via: 'api', opened: 'created' } }),
    ]);
    expect(s.events.outbox).toEqual([]); // creating sends no mail
  });

  it('turns parties that are not users into inactive users, and keeps existing users', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const carol = await s.users.findByEmail(CAROL);
    expect(carol).toMatchObject({ email: CAROL, isActive: false, isStaff: false, passwordHash: null });
    expect(await s.users.findByEmail(DAVE)).toMatchObject({ isActive: false });
    expect(await s.users.findByEmail(BOB)).toMatchObject({ id: s.bob.id, isActive: true });
    expect(s.users.rows).toHaveLength(6);
    expect(s.events.members.get(event.id)).toEqual([s.bob.id, carol!.id, (await s.users.findByEmail(DAVE))!.id]);
  });

  it.each([undefined, null, '', '   '])('generates a pronounceable title from deps.random when the title is %j', async (title) => {
    const s = scene();
    const input = { parties: [BOB], slots: [], ...(title !== undefined && { title }) };
    expect((await createEvent(s.deps, ctx(userActor(s.alice)), input)).title).toBe('Bababa'); // random() = 0
    s.deps.random = () => 0.999;
    expect((await createEvent(s.deps, ctx(userActor(s.alice)), input)).title).toBe('Stustustu');
  });

  it('reports every bad field at once and creates nothing', async () => {
    const s = scene();
    const err = await rejection(createEvent(s.deps, ctx(userActor(s.alice)), {
      title: 42,
      parties: ['not-an-email', BOB],
      slots: [{ begin: '2031-02-30T10:00:00', duration: '01:00' }],
    }));
    expect(err.code).toBe('validation');
    expect(err.details).toEqual({
      fields: {
        parties: ['"not-an-email" is not a valid e-mail address.'],
        title: ['Must be a string.'],
        slots: ['Slot 1: begin "2031-02-30T10:00:00" is not an ISO 8601 date-time.'],
      },
    });
    expect(s.events.records.size).toBe(0);
    expect(s.users.rows).toHaveLength(4);
  });

  it.each([
    [{ slots: [] }, { parties: ['This field is required.'] }],
    [{ parties: [BOB] }, { slots: ['This field is required.'] }],
    [{ parties: [], slots: [] }, { parties: ['At least one party e-mail address is required.'] }],
    [{ parties: BOB, slots: [] }, { parties: ['At least one party e-mail address is required.'] }],
    [{ parties: [BOB], slots: [], title: 'x'.repeat(201) }, { title: ['At most 200 characters.'] }],
    [{ parties: [BOB], slots: [], title: 'Two\nlines' }, { title: [CONTROL_MESSAGE] }],
    [{ parties: [BOB], slots: 'soon' }, { slots: ['Expected a list of {begin, duration} objects.'] }],
  ])('validation: %j', async (input, fields) => {
    const s = scene();
    const err = await rejection(createEvent(s.deps, ctx(userActor(s.alice)), input));
    expect(err.code).toBe('validation');
    expect(err.details).toEqual({ fields });
  });

  it('more than 30 slots is a slots field error', async () => {
    const s = scene();
    const slots = Array.from({ length: 31 }, (_, i) => ({ begin: `2031-03-${String(1 + i).padStart(2, '0')}T10:00:00Z`, duration: '01:00' }));
    const err = await rejection(createEvent(s.deps, ctx(userActor(s.alice)), { parties: [BOB], slots }));
    expect(err.details).toEqual({ fields: { slots: ['At most 30 slots per event (got 31).'] } });
  });

  it('an event token cannot create an event (forbidden), nor can an inactive user', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    const byToken = await rejection(createEvent(s.deps, ctx(tokenActor(event.id, CAROL)), { parties: [BOB], slots: [] }));
    expect(byToken.code).toBe('forbidden');
    const carol = (await s.users.findByEmail(CAROL))!;
    const inactive = await rejection(createEvent(s.deps, ctx(userActor(carol)), { parties: [BOB], slots: [] }));
    expect(inactive.code).toBe('forbidden');
    expect(s.events.records.size).toBe(1);
  });
});
