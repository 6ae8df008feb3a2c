// AUTO_BOOK_AT_DEADLINE=true (SPEC §11): at respond_by the slot kept by most parties (the
// earliest on a tie) is booked through the decision: the event confirmed, the invitations out,
// the organizer's summary saying so. Real server, real SMTP out, real time scaled down.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { ALICE, basic, BOB, OWNER, PASSWORD } from '../../helpers/fixtures.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';

let s: ReplyScene;
beforeAll(async () => {
  s = await startReplyScene({ AUTO_BOOK_AT_DEADLINE: 'true', REMINDER_INTERVAL: '1s', REMIND_BEFORE: '1s' });
  await s.t.addUser(ALICE, PASSWORD);
  await s.t.addUser(BOB, PASSWORD);
  for (const who of [OWNER, ALICE, BOB]) expect((await s.api('GET', '/', { auth: basic(who) })).status).toBe(200);
});
afterAll(() => s?.stop());

const ofEvent = (id: number) => (m: CaughtMail) => m.parsed.headers.get('x-calndro-event') === String(id);

it('at the deadline: books the slot kept by most parties (the earliest on a tie), invites everyone, tells the organizer', async () => {
  const deadline = new Date(Date.now() + 4_000);
  const e = (await s.api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: [ALICE, BOB], slots: THREE_SLOTS, respond_by: deadline.toISOString() } })).body;
  expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } })).status).toBe(202);
  // Alice keeps the 2nd and 3rd (the 1st leaves the list); Bob stays silent: a tie, the earlier wins.
  expect((await s.api('PATCH', `/${e.id}/`, { auth: basic(ALICE), body: { slots: e.slots.slice(1) } })).status).toBe(202);

  const summary = await s.catcher.waitFor((m) => ofEvent(e.id)(m) && m.envelope.to.includes(OWNER) && /^Answers so far/.test(m.parsed.subject ?? ''), 20_000);
  expect(summary.parsed.text).toMatch(/Booking automatically the slot kept by most parties: 1\. /);
  const invites = await Promise.all([ALICE, BOB].map((p) => s.catcher.waitFor((m) => ofEvent(e.id)(m) && m.envelope.to.includes(p) && /^Confirmed:/.test(m.parsed.subject ?? ''), 20_000)));
  expect(invites).toHaveLength(2);

  const after = await s.event(e.id);
  expect(after.status).toBe('confirmed');
  expect(after.slots).toEqual([e.slots[1]]);
  const log = await s.log(e.id);
  expect(log.filter((x) => x.occurrence === 'CONFIRM')).toMatchObject([{ effector: OWNER, data: { via: 'schedule' } }]);
  expect(log.filter((x) => x.occurrence === 'SUMMARY')).toHaveLength(1);
}, 60_000);
