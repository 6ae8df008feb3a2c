// A `send` interrupted between its two writes (SPEC §10: every step idempotent by Message-ID,
// also across a restart mid-processing): the event was created and the draft claimed, then the
// process died before the parties were notified. The stored message is processed again at
// recovery: it notifies once, makes no second event, and a later `send` changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplyScene, type ReplyScene } from '../../helpers/reply-scene.js';
import { swaks } from '../../helpers/swaks.js';
import { ALICE, BOB, OWNER } from '../../helpers/fixtures.js';
import { openEvent } from '../../../src/domain/events/create-event.js';
import { slotToJson } from '../../../src/domain/slots.js';
import { STORED_TOKEN } from '../../../src/security/token-scrub.js';

let s: ReplyScene;
beforeAll(async () => {
  s = await startReplyScene();
}, 60_000);
afterAll(async () => {
  await s?.stop();
});

describe('send interrupted after the event was created', () => {
  it('recovery notifies the parties once and creates no second event', async () => {
    const r = await swaks(s.smtpPort, ['--from', OWNER, '--to', 'new@calndro.test', '--header', `To: new@calndro.test, ${ALICE}, ${BOB}`,
      '--header', 'Subject: Restart', '--header', 'Date: Mon, 3 Mar 2031 10:00:00 +0000', '--body', 'Tue 11 Mar 2031 14:00\nWed 12 Mar 2031 14:00']);
    expect(r.ok, r.output).toBe(true);
    await s.settle();
    const summary = s.catcher.messages.find((m) => m.parsed.headers.has('x-calndro-draft'))!;
    const { deps, stores } = s.t.server.appDeps;

    // The `send` reply as the SMTP door stores it (token as its hash), not yet processed.
    const rcpt = s.replyAddress(summary);
    const raw = Buffer.from([`From: ${OWNER}`, `To: ${rcpt}`, 'Subject: Re: Restart', 'Message-ID: <restart-send@example.com>', '', 'send', ''].join('\r\n'));
    const stored = await stores.inbound.accept({ raw, source: 'smtp', mailFrom: OWNER, rcptTo: [rcpt] });
    const hash = STORED_TOKEN.exec(/reply\+([^@]+)@/.exec(stored.rcptTo[0]!)![1]!)![1]!;
    const draft = (await deps.drafts.findByTokenHash(hash))!;
    // Write 1 of sendDraft, as it does it; then the "crash" (write 2 never ran).
    const owner = (await deps.users.findByEmail(OWNER))!;
    const step = { what: 'send', messageId: '<restart-send@example.com>', at: new Date().toISOString() };
    const made = await openEvent(deps, { actor: { kind: 'user', user: owner }, via: 'email', messageId: '<restart-send@example.com>', inboundId: stored.id },
      owner, { title: draft.title, parties: draft.parties, slots: draft.slots.map(slotToJson) }, { id: draft.id, version: draft.version, steps: [...draft.steps, step] });
    expect(s.mailsTo(ALICE, made.id)).toHaveLength(0);

    await s.t.server.inbound.recover();
    await s.settle();
    for (const who of [ALICE, BOB]) expect(s.mailsTo(who, made.id)).toHaveLength(1);
    expect(await stores.database.db.event.count()).toBe(1);
    expect(await stores.database.db.inboundMessage.findUnique({ where: { id: stored.id } })).toMatchObject({ status: 'applied', eventId: made.id });

    // Handed over again (another instance, a duplicate queue entry): nothing new.
    s.t.server.inbound.enqueue(stored.id);
    await s.settle();
    for (const who of [ALICE, BOB]) expect(s.mailsTo(who, made.id)).toHaveLength(1);
    expect((await s.log(made.id)).filter((e) => e.occurrence === 'NOTIFY')).toHaveLength(2);
  }, 90_000);
});
