// Domain operations against in-memory fakes of the ports (ARCHITECTURE practices 2 and 3):
// outcomes are asserted on what the fakes stored (records, log, tokens, outbox rows) and on
// DomainError codes, never on HTTP or SMTP details.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { authorize, requireUser, type EventOperation } from '../../src/domain/access.js';
import type { ActionContext, Actor, Via } from '../../src/domain/actor.js';
import type { EventRecord, UserRecord } from '../../src/domain/ports.js';
import { parseBegin, parseDuration, slotKey, slotToJson, type Slot } from '../../src/domain/slots.js';
import { actorForToken } from '../../src/domain/token-actor.js';
import { createEvent } from '../../src/domain/events/create-event.js';
import { CONTROL_MESSAGE } from '../../src/domain/text.js';
import { patchEvent } from '../../src/domain/events/patch-event.js';
import { confirmableSlot } from '../../src/domain/events/confirmation.js';
import { answerEvent } from '../../src/domain/events/answer-event.js';
import { notifyParties } from '../../src/domain/events/notify-parties.js';
import { cancelEvent } from '../../src/domain/events/cancel-event.js';
import { replyWithHelp } from '../../src/domain/events/reply-help.js';
import { loadEvent } from '../../src/domain/events/load-event.js';
import { makeWorld, tokenActor, userActor, type World } from './fakes.js';

const slot = (begin: string, duration: string): Slot => ({ beginUs: parseBegin(begin)!, durationUs: parseDuration(duration)! });
const A = slot('2031-03-11T14:00:00Z', '01:00');
const B = slot('2031-03-12T09:00:00Z', '00:30');
const C = slot('2031-03-13T16:00:00Z', '02:00');
const asInput = (slots: Slot[]) => slots.map(slotToJson);

const BOB = 'bob@example.org';
const CAROL = 'carol@example.org';
const DAVE = 'dave@example.org';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const ctx = (actor: Actor, via: Via = 'api'): ActionContext => ({ actor, via });

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

interface Scene extends World {
  alice: UserRecord; // owner, not a party
  bob: UserRecord; // a party with an account
  sam: UserRecord; // staff
  eve: UserRecord; // stranger with an account
}

function scene(): Scene {
  const w = makeWorld();
  return {
    ...w,
    alice: w.users.add('alice@example.org'),
    bob: w.users.add(BOB),
    sam: w.users.add('sam@example.org', { staff: true }),
    eve: w.users.add('eve@example.org'),
  };
}

/** Alice's event with bob (a user), carol and dave (e-mail only) and slots A, B. */
async function aliceEvent(s: Scene, slots: Slot[] = [A, B]): Promise<EventRecord> {
  return createEvent(s.deps, ctx(userActor(s.alice)), { title: 'Kick-off', parties: [BOB, CAROL, DAVE], slots: asInput(slots) });
}

/** The token a stored outbox row carries (the fake seals as `sealed:<token>`). */
const tokenOf = (row: { payload: { sealedToken?: string } }) => row.payload.sealedToken!.replace(/^sealed:/, '');

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
    expect(err.details).toEqual({ fields: { non_field_errors: ['Nothing to update: send "slots" and/or "title".'] } });
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

describe('confirmableSlot (SPEC §7)', () => {
  const parties = [BOB, CAROL];
  const all = (slots: Slot[]) => Object.fromEntries(parties.map((p) => [p, slots.map(slotKey)]));

  it('exactly one slot and every party’s latest answer includes it → that slot', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: all([A]) })).toEqual(A);
    // an answer may include more than the remaining slot
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A), slotKey(B)], [CAROL]: [slotKey(A)] } })).toEqual(A);
  });

  it('two slots → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A, B], answers: all([A, B]) })).toBeNull();
  });

  it('no slot → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [], answers: all([]) })).toBeNull();
  });

  it('a party that never answered → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A)] } })).toBeNull();
  });

  it('a party whose latest answer excludes the slot → null', () => {
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A)], [CAROL]: [slotKey(B)] } })).toBeNull();
    // same begin, other duration is another slot
    const longerA = { beginUs: A.beginUs, durationUs: A.durationUs * 2n };
    expect(confirmableSlot({ status: 'open', parties, slots: [A], answers: { [BOB]: [slotKey(A)], [CAROL]: [slotKey(longerA)] } })).toBeNull();
  });

  it('a cancelled or already confirmed event → null', () => {
    expect(confirmableSlot({ status: 'cancelled', parties, slots: [A], answers: all([A]) })).toBeNull();
    expect(confirmableSlot({ status: 'confirmed', parties, slots: [A], answers: all([A]) })).toBeNull();
  });
});

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

describe('mutateEvent (through patchEvent/answerEvent): optimistic concurrency', () => {
  it('retries after a version conflict and writes once', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    s.events.conflictNext(1);
    const patched = await patchEvent(s.deps, ctx(userActor(s.bob)), event.id, { slots: asInput([A]) });
    expect(patched.slots).toEqual([A]);
    expect(s.events.updateCalls).toBe(2);
    expect(s.log.of(event.id, 'UPDATE')).toHaveLength(2); // created + this patch, not one per attempt
  });

  it('decides again on the re-read event: a concurrent slot change makes an answer stale', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B, C]);
    s.events.concurrentWrites.push((stored) => {
      stored.slots = [A, C];
    });
    const err = await rejection(answerEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, [A], { expectedSlots: [A, B, C] }));
    expect(err.code).toBe('stale_slots');
    expect(err.details).toEqual({ slots: asInput([A, C]) });
    expect(s.events.outbox).toEqual([]);
  });

  it('a concurrent answer is not lost: both answers are recorded', async () => {
    const s = scene();
    const event = await aliceEvent(s, [A, B]);
    s.events.concurrentWrites.push((stored) => {
      stored.answers = { ...stored.answers, [DAVE]: [slotKey(A)] };
    });
    const after = await patchEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, { slots: asInput([A]) });
    expect(after.answers).toEqual({ [DAVE]: [slotKey(A)], [CAROL]: [slotKey(A)] });
  });

  it("gives up with 'conflict' after repeated conflicts, writing nothing", async () => {
    const s = scene();
    const event = await aliceEvent(s);
    s.events.conflictNext(1000);
    const logCount = s.log.entries.length;
    const err = await rejection(answerEvent(s.deps, ctx(tokenActor(event.id, CAROL)), event.id, [A]));
    expect(err.code).toBe('conflict');
    expect(s.events.updateCalls).toBeGreaterThan(1);
    expect(s.events.updateCalls).toBeLessThan(50);
    expect(s.log.entries).toHaveLength(logCount);
    expect(s.events.outbox).toEqual([]);
    expect(s.events.tokens).toEqual([]);
  });
});

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

    const last = s.mail.countCalls.at(-1)!;
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

  it('a concurrent change: tried again on the new version, one help mail and one REPLY entry', async () => {
    const s = scene();
    const event = await aliceEvent(s);
    s.events.conflictNext(1);
    expect(await replyWithHelp(s.deps, ctx(tokenActor(event.id, CAROL), 'email'), event.id, details, 3)).toBe(true);
    expect(s.events.outbox.map((o) => [o.kind, o.recipient])).toEqual([['help', CAROL]]);
    expect(s.log.of(event.id, 'REPLY').map((e) => e.data.answered)).toEqual([true]);
  });
});

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
