// SPEC §11 over a real server in real time (scaled down by the settings): mail out through the
// outbox to a mail catcher, answers in by swaks over SMTP, the follow-up worker polling. With
// REMIND_AFTER=2s the party who does not answer gets exactly two reminders, 2 s and then 4 s
// apart, in the event's thread; nobody else gets one; one who answers after the first gets no
// second. With respond_by 6 s ahead: reminders at the half and REMIND_BEFORE before it, the
// organizer's summary at the deadline, once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { ALICE, basic, BOB, OWNER, PASSWORD } from '../../helpers/fixtures.js';
import { sleep } from '../../helpers/free-ports.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';

const CAROL = 'carol@example.com';
let s: ReplyScene;
beforeAll(async () => {
  s = await startReplyScene({ REMIND_AFTER: '2s', REMIND_BEFORE: '1s', REMINDER_INTERVAL: '1s' });
  // Alice and Bob answer through their accounts, at once: the mail round trip is slower than 2 s here.
  await s.t.addUser(ALICE, PASSWORD);
  await s.t.addUser(BOB, PASSWORD);
  // Their sign-ins are remembered (AUTH_CACHE_SECONDS): the slow password checks happen now.
  for (const who of [OWNER, ALICE, BOB]) expect((await s.api('GET', '/', { auth: basic(who) })).status).toBe(200);
});
afterAll(() => s?.stop());

const ofEvent = (id: number) => (m: CaughtMail) => m.parsed.headers.get('x-calndro-event') === String(id);
const to = (who: string) => (m: CaughtMail) => m.envelope.to.includes(who);
const reminderTo = (id: number, who: string) => s.catcher.messages.filter((m) => ofEvent(id)(m) && to(who)(m) && /^Reminder:/.test(m.parsed.subject ?? ''));
const remindersOf = (id: number) => s.catcher.messages.filter((m) => ofEvent(id)(m) && /^Reminder:/.test(m.parsed.subject ?? ''));
const references = (m: CaughtMail) => String(m.parsed.headers.get('references') ?? '');

async function remindLog(id: number) {
  return s.t.server.appDeps.stores.database.db.logEntry.findMany({ where: { eventId: id, occurrence: { in: ['REMIND', 'NOTIFY', 'SUMMARY'] } }, orderBy: { id: 'asc' } });
}

/** A party's answer through the API with their account, keeping every slot (no mail needed: immediate). */
async function answerAll(id: number, who: string) {
  const e = (await s.api('GET', `/${id}/`, { auth: basic(who) })).body;
  expect((await s.api('PATCH', `/${id}/`, { auth: basic(who), body: { slots: e.slots } })).status).toBe(202);
}

/** An event proposed to `parties`; `answering` answer right after the notice (before its mail arrives). */
async function proposed(parties: string[], respondBy?: Date, answering: string[] = []) {
  const e = (await s.api('POST', '/', { auth: basic(OWNER), body: {
    title: 'Quarterly review', parties, slots: THREE_SLOTS, ...(respondBy && { respond_by: respondBy.toISOString() }),
  } })).body;
  expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties, slots: e.slots } })).status).toBe(202);
  for (const who of answering) await answerAll(e.id, who);
  const mails = await Promise.all(parties.map((p) => s.catcher.waitFor((m) => ofEvent(e.id)(m) && to(p)(m), 10_000)));
  return { id: e.id as number, mails };
}

async function waitUntil(what: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!what() && Date.now() < until) await sleep(100);
  return what();
}

it('REMIND_AFTER=2s: two reminders to the party who has not answered, spaced 2 s then 4 s, in the thread; nobody else; none after an answer', async () => {
  // Alice and Bob answer each event at once (their links); Carol answers the second by reply
  // after its first reminder.
  const first = await proposed([ALICE, BOB, CAROL], undefined, [ALICE, BOB]);
  const second = await proposed([ALICE, BOB, CAROL], undefined, [ALICE, BOB]);
  expect(await waitUntil(() => reminderTo(second.id, CAROL).length >= 1, 15_000)).toBe(true);
  const [reminder] = reminderTo(second.id, CAROL);
  expect((await s.reply(CAROL, reminder!, '2')).ok).toBe(true);

  expect(await waitUntil(() => reminderTo(first.id, CAROL).length === 2, 20_000)).toBe(true);
  // Longer than the next reminder would take (8 s): none follows, to anyone.
  await sleep(9_000);
  expect(remindersOf(first.id).map((m) => m.envelope.to)).toEqual([[CAROL], [CAROL]]);
  // Carol's answer stops her reminders: none is logged after it (under load her reply may land
  // after the second was due, so the count alone would measure the machine, not the rule).
  const secondLog = await remindLog(second.id);
  const answered = (await s.t.server.appDeps.stores.database.db.logEntry.findFirst({
    where: { eventId: second.id, occurrence: 'UPDATE', effector: CAROL }, orderBy: { id: 'asc' },
  }))!;
  const carolReminders = secondLog.filter((e) => e.occurrence === 'REMIND');
  expect(carolReminders.length).toBeGreaterThanOrEqual(1);
  expect(carolReminders.every((e) => e.id < answered.id)).toBe(true);
  expect(remindersOf(second.id).map((m) => m.envelope.to)).toEqual(carolReminders.map(() => [CAROL]));

  const log = await remindLog(first.id);
  const notified = log.find((e) => e.occurrence === 'NOTIFY' && JSON.parse(e.data).recipient === CAROL)!.when.getTime();
  const sent = log.filter((e) => e.occurrence === 'REMIND').map((e) => e.when.getTime());
  expect(sent).toHaveLength(2);
  // 2 s after the proposal, then twice that after the first (the worker looks when one is due).
  expect(sent[0]! - notified).toBeGreaterThanOrEqual(2_000);
  expect(sent[0]! - notified).toBeLessThan(3_500);
  expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(4_000);
  expect(sent[1]! - sent[0]!).toBeLessThan(5_500);

  const [r1, r2] = reminderTo(first.id, CAROL);
  const proposal = first.mails[2]!;
  for (const r of [r1!, r2!]) {
    // The event's thread, the current list, a fresh personal link.
    expect(references(r)).toContain(`calndro.event.${first.id}@calndro.test`);
    expect(references(r)).toBe(references(proposal));
    expect(r.parsed.text).toMatch(/Reminder: we have no answer from you yet/);
    expect(r.parsed.text).toMatch(new RegExp(`/${first.id}/\\?et=[0-9a-f]{40}`));
    expect(r.parsed.text).toContain('1. ');
  }
  expect(r1!.parsed.text).toContain('at most 1 more will follow');
  expect(r2!.parsed.text).toContain('This is the last reminder');
  expect(r1!.parsed.text!.match(/\?et=([0-9a-f]{40})/)![1]).not.toBe(r2!.parsed.text!.match(/\?et=([0-9a-f]{40})/)![1]);
}, 90_000);

it('respond_by 6 s ahead: reminders at the half and REMIND_BEFORE before it, the summary to the organizer at the deadline, once', async () => {
  const deadline = new Date(Date.now() + 6_000);
  const ev = await proposed([ALICE, BOB, CAROL], deadline, [ALICE]);
  const summaryTo = () => s.catcher.messages.filter((m) => ofEvent(ev.id)(m) && to(OWNER)(m) && /^Answers so far/.test(m.parsed.subject ?? ''));
  expect(await waitUntil(() => summaryTo().length === 1, 15_000)).toBe(true);
  await sleep(3_000);
  expect(summaryTo()).toHaveLength(1);

  const log = await remindLog(ev.id);
  const since = log.find((e) => e.occurrence === 'NOTIFY' && JSON.parse(e.data).recipient === BOB)!.when.getTime();
  const byParty = (p: string) => log.filter((e) => e.occurrence === 'REMIND' && JSON.parse(e.data).recipient === p).map((e) => e.when.getTime());
  expect(byParty(ALICE)).toEqual([]);
  for (const p of [BOB, CAROL]) {
    const [half, before, ...more] = byParty(p);
    expect(more).toEqual([]);
    const halfAt = since + (deadline.getTime() - since) / 2;
    expect(half! - halfAt).toBeGreaterThanOrEqual(0);
    expect(half! - halfAt).toBeLessThan(1_000);
    expect(before! - (deadline.getTime() - 1_000)).toBeGreaterThanOrEqual(0);
    expect(before!).toBeLessThan(deadline.getTime());
  }
  const summaries = log.filter((e) => e.occurrence === 'SUMMARY');
  expect(summaries).toHaveLength(1);
  expect(summaries[0]!.when.getTime()).toBeGreaterThanOrEqual(deadline.getTime());

  const [summary] = summaryTo();
  expect(references(summary!)).toContain(`calndro.event.${ev.id}@calndro.test`);
  expect(summary!.parsed.text).toContain('The deadline for "Quarterly review" has passed');
  expect(summary!.parsed.text).toMatch(/^1\. .*: 1 - alice@example\.com$/m);
  expect(summary!.parsed.text).toMatch(/^3\. .*: 1 - alice@example\.com$/m);
  expect(summary!.parsed.text).toContain(`No answer from: ${BOB}, ${CAROL}`);
  expect(summary!.parsed.text).toMatch(/^\s+book 1\s/m);
  expect(summary!.parsed.text).toMatch(/^\s+remind\s/m);
  expect(summary!.parsed.text).toMatch(/^\s+add <times>/m);
  // The organizer's link opens their page with the same table.
  const link = summary!.parsed.text!.match(/(http:\/\/\S+\?et=[0-9a-f]{40})/)![1]!;
  const page = await fetch(link, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Answers so far');
  expect(html).toMatch(/No answer from: <span class="silent">bob@example\.com, carol@example\.com<\/span>/);
  expect((await s.event(ev.id)).status).toBe('open');
}, 60_000);

it("the organizer's reply remind: the next reminder now to those who have not answered, counted; a party's is refused", async () => {
  // The organizer is a party: their proposal carries their own token. A deadline an hour away
  // keeps the scheduled reminders out of the way (the first is half an hour off).
  const ev = await proposed([OWNER, ALICE, BOB], new Date(Date.now() + 3_600_000), [OWNER, ALICE]);
  expect((await s.reply(BOB, ev.mails[2]!, 'remind')).ok).toBe(true);
  const refused = await s.catcher.waitFor((m) => ofEvent(ev.id)(m) && to(BOB)(m) && /^Re:/.test(m.parsed.subject ?? ''), 10_000);
  expect(refused.parsed.text).toContain('Only the organizer can send reminders');
  expect(remindersOf(ev.id)).toHaveLength(0);

  expect((await s.reply(OWNER, ev.mails[0]!, 'remind')).ok).toBe(true);
  const reminder = await s.catcher.waitFor((m) => ofEvent(ev.id)(m) && /^Reminder:/.test(m.parsed.subject ?? ''), 10_000);
  expect(reminder.envelope.to).toEqual([BOB]);
  expect(reminder.parsed.text).toContain('at most 1 more will follow');
  expect(reminder.parsed.text).toMatch(/Please answer by /);
  const log = (await remindLog(ev.id)).filter((e) => e.occurrence === 'REMIND');
  expect(log.map((e) => [e.effector, JSON.parse(e.data).recipient, JSON.parse(e.data).reminder])).toEqual([[OWNER, BOB, 1]]);
  await sleep(1_000);
  expect(remindersOf(ev.id)).toHaveLength(1);
}, 60_000);
