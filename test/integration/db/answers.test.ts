// Answers by reply over real SMTP into the running listener, against a real database: a reply
// is read against the slot list as stored when it is written (no lost update), repeated or
// excessive answers do not multiply mail, and the caps hold under concurrent replies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { ALICE, basic, BOB, OWNER, outboxRows } from '../../helpers/fixtures.js';
import type { EventStore } from '../../../src/domain/ports.js';

const begins = (e: { slots: { begin: string }[] }) => e.slots.map((s) => s.begin);
const notices = (s: ReplyScene, who: string, id: number) =>
  s.mailsTo(who, id).filter((m) => m.parsed.headers.get('auto-submitted') === 'auto-generated');
const acks = (s: ReplyScene, who: string, id: number) =>
  s.mailsTo(who, id).filter((m) => m.parsed.headers.get('auto-submitted') === 'auto-replied');

describe('a reply is read against the list as stored', () => {
  let s: ReplyScene;
  beforeAll(async () => { s = await startReplyScene(); });
  afterAll(() => s?.stop());

  it('a slot removed while the reply is being processed does not come back', async () => {
    const { e, b } = await s.notified();
    const deps = s.t.server.appDeps.deps;
    const real = deps.events;
    // The owner's PATCH removing slot 3 lands just as Bob's reply starts to read the event.
    let interleave: (() => Promise<unknown>) | null = () =>
      s.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { slots: THREE_SLOTS.slice(0, 2) } });
    const first = async () => {
      const run = interleave;
      interleave = null;
      if (run) expect((await run() as { status: number }).status).toBe(202);
    };
    const mutate: EventStore['mutate'] = async (id, decide, counts) => {
      await first();
      return real.mutate!(id, decide, counts);
    };
    deps.events = { ...real, mutate, get: async (id) => {
      const read = await real.get(id);
      await first();
      return read;
    } };
    try {
      expect((await s.reply(BOB, b, '1,3')).ok).toBe(true);
      await s.settle();
    } finally {
      deps.events = real;
    }
    expect(interleave).toBeNull();
    expect(begins(await s.event(e.id))).toEqual([THREE_SLOTS[0]!.begin]);
    const ack = (await outboxRows(s.t, e.id)).find((r) => r.kind === 'ack' && r.recipient === BOB)!;
    expect(ack.payload.details).toMatchObject({ kept: [1], unknownNumbers: [3] });
  });

  it('two replies processed at the same time leave only the slots both kept', async () => {
    const { e, a, b } = await s.notified();
    await s.processTogether([{ from: ALICE, to: a, body: '1, 2' }, { from: BOB, to: b, body: '1, 3' }]);
    expect(begins(await s.event(e.id))).toEqual([THREE_SLOTS[0]!.begin]);
  });
});

describe('mail amplification', () => {
  let s: ReplyScene;
  beforeAll(async () => { s = await startReplyScene({ NOTICES_PER_PARTY_PER_HOUR: '2' }); });
  afterAll(() => s?.stop());

  it('four identical replies: the other party gets one notice, the replier one acknowledgment', async () => {
    const { e, a } = await s.notified();
    const bobBefore = notices(s, BOB, e.id).length;
    for (let i = 0; i < 4; i++) {
      expect((await s.reply(ALICE, a, '1,3')).ok).toBe(true);
      await s.settle();
    }
    expect(notices(s, BOB, e.id).length - bobBefore).toBe(1);
    expect(acks(s, ALICE, e.id)).toHaveLength(1);
    const updates = (await s.log(e.id)).filter((x) => x.occurrence === 'UPDATE' && x.effector === ALICE);
    expect(updates.map((u) => u.data.notice_skipped ?? null)).toEqual([null, 'unchanged', 'unchanged', 'unchanged']);
  });

  it('past NOTICES_PER_PARTY_PER_HOUR the answer still applies, unannounced; POST notify is refused with 429', async () => {
    const { e, a } = await s.notified();
    const bobBefore = notices(s, BOB, e.id).length;
    for (const body of ['1,2,3', '1,2', '1']) {
      await s.reply(ALICE, a, body);
      await s.settle();
    }
    expect(begins(await s.event(e.id))).toEqual([THREE_SLOTS[0]!.begin]);
    expect(notices(s, BOB, e.id).length - bobBefore).toBe(2);
    const last = (await s.log(e.id)).filter((x) => x.occurrence === 'UPDATE' && x.effector === ALICE).at(-1)!;
    expect(last.data.notice_skipped).toBe('party_hourly_cap');

    const et = s.replyAddress(a).slice(6, 46);
    const current = (await s.event(e.id)).slots;
    const refused = await s.api('POST', `/${e.id}/notify/`, { auth: { et }, body: { parties: [BOB], slots: current } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.detail).toMatch(/per hour/);
    // The owner has a budget of their own.
    expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [BOB], slots: current } })).status).toBe(202);
  });
});

describe('unsent mail per event (OUTBOX_PENDING_PER_EVENT)', () => {
  let s: ReplyScene;
  beforeAll(async () => { s = await startReplyScene({ OUTBOX_PENDING_PER_EVENT: '2', OUTBOX_MAX_ATTEMPTS: '50' }); });
  afterAll(() => s?.stop());

  it('over the cap a reply still applies without notices and POST notify gets 429, until the queue drains', async () => {
    const { e, a } = await s.notified();
    await s.settle();
    s.catcher.setMode('tempfail');
    const body = { parties: [ALICE, BOB], slots: (await s.event(e.id)).slots };
    expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body })).status).toBe(202);
    const full = await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body });
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBeTruthy();

    await s.reply(ALICE, a, '2');
    await s.t.server.inbound.idle();
    expect(begins(await s.event(e.id))).toEqual([THREE_SLOTS[1]!.begin]);
    const update = (await s.log(e.id)).filter((x) => x.occurrence === 'UPDATE' && x.effector === ALICE).at(-1)!;
    expect(update.data.notice_skipped).toBe('event_outbox_cap');
    expect((await outboxRows(s.t, e.id)).filter((r) => r.kind === 'proposal' && r.status !== 'sent')).toHaveLength(2);

    // The two held proposals and Alice's acknowledgment go out once the receiver accepts again.
    const delivered = s.catcher.messages.length + 3;
    s.catcher.setMode('accept');
    await s.catcher.waitForCount(delivered, 20_000);
    await s.settle();
    const again = { parties: [BOB], slots: (await s.event(e.id)).slots };
    expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: again })).status).toBe(202);
  });
});

describe('help replies under concurrency (HELP_REPLIES_PER_HOUR)', () => {
  let s: ReplyScene;
  beforeAll(async () => { s = await startReplyScene({ HELP_REPLIES_PER_HOUR: '1' }); });
  afterAll(() => s?.stop());

  it('unreadable replies arriving together get exactly one help reply', async () => {
    const { e, a } = await s.notified();
    const before = s.mailsTo(ALICE, e.id).length;
    await s.processTogether(['Let me check with my team first.', 'Maybe next week?', 'Can we talk?', 'Which day again?', 'Not sure yet']
      .map((body) => ({ from: ALICE, to: a, body })));
    expect(s.mailsTo(ALICE, e.id).length - before).toBe(1);
    expect((await s.log(e.id)).filter((x) => x.occurrence === 'REPLY').map((x) => x.data.answered).sort()).toEqual([false, false, false, false, true]);
  });
});
