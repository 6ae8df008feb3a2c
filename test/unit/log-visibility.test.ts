// Who reads which Message-ID in an event's log (getLog: the one read behind the API and the page).
import { describe, expect, it } from 'vitest';
import { createEvent } from '../../src/domain/events/create-event.js';
import { answerEvent } from '../../src/domain/events/answer-event.js';
import { getLog } from '../../src/domain/events/get-log.js';
import { parseBegin, parseDuration, slotToJson } from '../../src/domain/slots.js';
import type { Actor } from '../../src/domain/actor.js';
import { makeWorld, tokenActor, userActor } from '../helpers/fakes.js';

const BOB = 'bob@example.org';
const CAROL = 'carol@example.org';
const A = { beginUs: parseBegin('2031-03-11T14:00:00Z')!, durationUs: parseDuration('01:00')! };

async function world() {
  const w = makeWorld();
  const alice = w.users.add('alice@example.org');
  const sam = w.users.add('sam@example.org', { staff: true });
  const bob = w.users.add(BOB);
  const event = await createEvent(w.deps, { actor: userActor(alice), via: 'api' }, { title: 'T', parties: [BOB, CAROL], slots: [slotToJson(A)] });
  // Carol answers by mail: UPDATE and a NOTIFY to Bob, both carrying her mail's Message-ID.
  await answerEvent(w.deps, { actor: tokenActor(event.id, CAROL), via: 'email', messageId: '<carol-reply@mail.example>' }, event.id, [A]);
  // Our mails to each of them were delivered.
  for (const [to, id] of [[BOB, '<to-bob@calndro.test>'], [CAROL, '<to-carol@calndro.test>']] as const) {
    await w.log.append(event.id, { occurrence: 'DELIVERED', effector: null, slots: [], data: { recipient: to, kind: 'proposal', message_id: id } });
  }
  const idsSeenBy = async (actor: Actor) =>
    (await getLog(w.deps, { actor, via: 'api' }, event.id, {})).entries.map((e) => e.data.message_id).filter(Boolean).sort();
  return { event, alice, sam, bob, idsSeenBy };
}

describe('Message-IDs in the log', () => {
  const all = ['<carol-reply@mail.example>', '<carol-reply@mail.example>', '<to-bob@calndro.test>', '<to-carol@calndro.test>'];

  it('owner and staff see every Message-ID', async () => {
    const { alice, sam, idsSeenBy } = await world();
    expect(await idsSeenBy(userActor(alice))).toEqual(all);
    expect(await idsSeenBy(userActor(sam))).toEqual(all);
  });

  it('a party sees only their own mail\'s: the reply they sent and what was delivered to them', async () => {
    const { event, bob, idsSeenBy } = await world();
    expect(await idsSeenBy(tokenActor(event.id, CAROL))).toEqual(['<carol-reply@mail.example>', '<carol-reply@mail.example>', '<to-carol@calndro.test>']);
    // Bob: not Carol's reply's Message-ID, even on the NOTIFY entry addressed to him.
    expect(await idsSeenBy(tokenActor(event.id, BOB))).toEqual(['<to-bob@calndro.test>']);
    expect(await idsSeenBy(userActor(bob))).toEqual(['<to-bob@calndro.test>']);
  });
});
