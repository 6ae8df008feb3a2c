// The scene the domain unit tests share: in-memory fakes of the ports (fakes.ts), three slots,
// an owner (alice), a party with an account (bob), staff (sam), a stranger (eve), and helpers
// that catch DomainErrors.
import { expect } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import type { ActionContext, Actor, Via } from '../../src/domain/actor.js';
import type { EventRecord, UserRecord } from '../../src/domain/ports.js';
import { parseBegin, parseDuration, slotToJson, type Slot } from '../../src/domain/slots.js';
import { createEvent } from '../../src/domain/events/create-event.js';
import { makeWorld, userActor, type World } from './fakes.js';

export const slot = (begin: string, duration: string): Slot => ({ beginUs: parseBegin(begin)!, durationUs: parseDuration(duration)! });
export const A = slot('2031-03-11T14:00:00Z', '01:00');
export const B = slot('2031-03-12T09:00:00Z', '00:30');
export const C = slot('2031-03-13T16:00:00Z', '02:00');
export const asInput = (slots: Slot[]) => slots.map(slotToJson);

export const BOB = 'bob@example.org';
export const CAROL = 'carol@example.org';
export const DAVE = 'dave@example.org';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export const ctx = (actor: Actor, via: Via = 'api'): ActionContext => ({ actor, via });

export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

export function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

export interface Scene extends World {
  alice: UserRecord; // owner, not a party
  bob: UserRecord; // a party with an account
  sam: UserRecord; // staff
  eve: UserRecord; // stranger with an account
}

export function scene(): Scene {
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
export async function aliceEvent(s: Scene, slots: Slot[] = [A, B]): Promise<EventRecord> {
  return createEvent(s.deps, ctx(userActor(s.alice)), { title: 'Kick-off', parties: [BOB, CAROL, DAVE], slots: asInput(slots) });
}

/** The token a stored outbox row carries (the fake seals as `sealed:<token>`). */
export const tokenOf = (row: { payload: { sealedToken?: string } }) => row.payload.sealedToken!.replace(/^sealed:/, '');
