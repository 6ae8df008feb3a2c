// SPEC §11, the decision, over real HTTP, real SMTP (replies in by swaks, mail out to a catcher)
// and a real database: POST /{id}/confirm/ and the organizer's "book N" reply confirm the event,
// the REQUEST invite goes to every party once, also when bookings race each other or the
// automatic confirmation; a slot not in the list, a closed event, a party who is not the
// organizer are refused (409 with the list / 403, or one reply saying so).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { ALICE, basic, BOB, OWNER, STAFF, STRANGER, outboxRows } from '../../helpers/fixtures.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';
import type { Auth } from '../../helpers/api.js';

let s: ReplyScene;
beforeAll(async () => { s = await startReplyScene(); });
afterAll(() => s?.stop());

const PARTIES = [OWNER, ALICE, BOB];
const forEvent = (id: number, who: string) => (m: CaughtMail) =>
  m.envelope.to.includes(who) && m.parsed.headers.get('x-calndro-event') === String(id);
const tokenIn = (m: CaughtMail, id: number) => (m.parsed.text ?? '').match(new RegExp(`/${id}/\\?et=([0-9a-f]{40})`))![1]!;

/** An event with the owner among the parties, everyone notified; the mails each got. */
async function notifiedWithOwner(slots = THREE_SLOTS) {
  const e = (await s.api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: PARTIES, slots } })).body;
  expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: PARTIES, slots: e.slots } })).status).toBe(202);
  const [o, a, b] = await Promise.all(PARTIES.map((p) => s.catcher.waitFor(forEvent(e.id, p), 10_000)));
  return { e, o: o!, a: a!, b: b! };
}

const confirm = (id: number, slot: unknown, auth: Auth = basic(OWNER)) =>
  s.api('POST', `/${id}/confirm/`, { auth, body: { slot } });

/** The invites (confirmation rows) of the event, by recipient. */
async function invites(id: number) {
  return (await outboxRows(s.t, id)).filter((r) => r.kind === 'confirmation').map((r) => r.recipient).sort();
}

async function confirmEntries(id: number) {
  return (await s.log(id)).filter((x) => x.occurrence === 'CONFIRM');
}

/** The REQUEST invites caught for the event (real SMTP), one per party expected. */
async function caughtInvites(id: number, n: number) {
  await s.settle();
  await s.catcher.waitFor(() => s.catcher.messages.filter((m) => m.parsed.headers.get('x-calndro-event') === String(id)
    && /^Confirmed:/.test(m.parsed.subject ?? '')).length >= n, 25_000);
  return s.catcher.messages.filter((m) => m.parsed.headers.get('x-calndro-event') === String(id) && /^Confirmed:/.test(m.parsed.subject ?? ''));
}

describe('POST /{id}/confirm/', () => {
  it('the owner books a slot (any offset): 202, confirmed on that slot, one REQUEST invite per party, CONFIRM logged', async () => {
    const { e } = await notifiedWithOwner();
    const r = await confirm(e.id, { begin: '2031-03-12T16:00:00+02:00', duration: 'PT1H' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ id: e.id, status: 'confirmed', slots: [{ begin: '2031-03-12T14:00:00Z', duration: '01:00:00' }] });
    expect(await invites(e.id)).toEqual([...PARTIES].sort());
    const mails = await caughtInvites(e.id, 3);
    expect(mails.flatMap((m) => m.envelope.to).sort()).toEqual([...PARTIES].sort());
    for (const m of mails) {
      const ics = m.parsed.attachments.find((x) => x.filename === 'invite.ics')!.content.toString();
      expect(ics).toMatch(/METHOD:REQUEST/);
      expect(ics).toMatch(/DTSTART:20310312T140000Z/);
    }
    const [entry, ...more] = await confirmEntries(e.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ effector: OWNER, data: { via: 'api', booked_by: OWNER } });
    expect((await s.event(e.id)).status).toBe('confirmed');
  }, 60_000);

  it('staff may book; the owner\'s own event token works too', async () => {
    const first = await notifiedWithOwner();
    expect((await confirm(first.e.id, THREE_SLOTS[0], basic(STAFF))).status).toBe(202);
    const second = await notifiedWithOwner();
    const r = await confirm(second.e.id, THREE_SLOTS[2], { et: tokenIn(second.o, second.e.id) });
    expect(r.status).toBe(202);
    expect(r.body.slots).toEqual([{ begin: THREE_SLOTS[2]!.begin, duration: '01:00:00' }]);
  });

  it('a party who is not the owner (token or signed in) and a stranger get 403; nothing changes', async () => {
    const { e, a } = await notifiedWithOwner();
    const byToken = await confirm(e.id, THREE_SLOTS[0], { et: tokenIn(a, e.id) });
    expect(byToken.status).toBe(403);
    expect(byToken.body.detail).toMatch(/Only the organizer/);
    expect((await confirm(e.id, THREE_SLOTS[0], basic(STRANGER))).status).toBe(403);
    expect((await s.api('POST', `/${e.id}/confirm/`, { body: { slot: THREE_SLOTS[0] } })).status).toBe(401);
    expect((await s.event(e.id)).status).toBe('open');
    expect(await invites(e.id)).toEqual([]);
  });

  it('a slot not in the list → 409 with the current slots; bad bodies → 400 naming the field', async () => {
    const { e } = await notifiedWithOwner();
    const r = await confirm(e.id, { begin: '2031-03-20T14:00:00Z', duration: '01:00' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ detail: expect.stringMatching(/not in the list/), slots: e.slots });
    const longer = await confirm(e.id, { begin: THREE_SLOTS[0]!.begin, duration: '02:00' });
    expect(longer.status).toBe(409);
    expect((await s.api('POST', `/${e.id}/confirm/`, { auth: basic(OWNER), body: {} })).body).toEqual({ slot: ['This field is required.'] });
    const bad = await confirm(e.id, { begin: 'soon', duration: '00:00' });
    expect(bad.status).toBe(400);
    expect(bad.body.slot.join(' ')).toMatch(/begin "soon" is not an ISO 8601 date-time.*duration must be longer than zero/);
    expect((await s.event(e.id)).status).toBe('open');
  });

  it('a confirmed or cancelled event → 409', async () => {
    const { e } = await notifiedWithOwner();
    expect((await confirm(e.id, THREE_SLOTS[0])).status).toBe(202);
    const again = await confirm(e.id, THREE_SLOTS[0]);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/confirmed/);
    const other = (await s.api('POST', '/', { auth: basic(OWNER), body: { parties: [ALICE], slots: THREE_SLOTS } })).body;
    expect((await s.api('DELETE', `/${other.id}/`, { auth: basic(OWNER) })).status).toBe(204);
    expect((await confirm(other.id, THREE_SLOTS[0])).status).toBe(409);
  });

  it('without the slash → 308; other methods → 405; documented in /openapi', async () => {
    const { e } = await notifiedWithOwner();
    const moved = await s.api('POST', `/${e.id}/confirm`, { auth: basic(OWNER), body: { slot: THREE_SLOTS[0] } });
    expect(moved.status).toBe(308);
    expect(moved.headers.get('location')).toBe(`/${e.id}/confirm/`);
    const get = await s.api('GET', `/${e.id}/confirm/`, { auth: basic(OWNER) });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const doc = (await s.api('GET', '/openapi')).body;
    const op = doc.paths['/{id}/confirm/'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '404', '409']));
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['slot']);
  });
});

describe('racing decisions: the invite goes out once', () => {
  it('four bookings fired at once over HTTP: one 202, the rest 409, one invite per party', async () => {
    const { e } = await notifiedWithOwner();
    const results = await Promise.all([0, 1, 2, 0].map((i) => confirm(e.id, THREE_SLOTS[i])));
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409, 409]);
    expect(await invites(e.id)).toEqual([...PARTIES].sort());
    expect(await confirmEntries(e.id)).toHaveLength(1);
    const booked = results.find((r) => r.status === 202)!.body.slots;
    expect((await s.event(e.id)).slots).toEqual(booked);
    expect((await caughtInvites(e.id, 3)).length).toBe(3);
  });

  it('a booking racing the automatic confirmation (the last party keeping the one slot): one invite per party', async () => {
    const one = [THREE_SLOTS[1]!];
    const { e, o, a, b } = await notifiedWithOwner(one);
    for (const m of [o, a]) {
      expect((await s.api('PATCH', `/${e.id}/`, { auth: { et: tokenIn(m, e.id) }, body: { slots: one } })).status).toBe(202);
    }
    const [bob, booking] = await Promise.all([
      s.api('PATCH', `/${e.id}/`, { auth: { et: tokenIn(b, e.id) }, body: { slots: one } }),
      confirm(e.id, one[0]),
    ]);
    // Whichever came second found the event confirmed.
    expect([bob.status, booking.status].sort()).toEqual([202, 409]);
    expect(await invites(e.id)).toEqual([...PARTIES].sort());
    expect(await confirmEntries(e.id)).toHaveLength(1);
  });
});

describe('the organizer\'s "book N" reply', () => {
  it('the owner replies "book 2": confirmed on slot 2 of the mail answered, every party invited once, logged via email', async () => {
    const { e, o } = await notifiedWithOwner();
    expect((await s.reply(OWNER, o, 'book 2\n\nThanks, Olivia')).ok).toBe(true);
    await s.settle();
    const ev = await s.event(e.id);
    expect(ev).toMatchObject({ status: 'confirmed', slots: [{ begin: THREE_SLOTS[1]!.begin, duration: '01:00:00' }] });
    expect(await invites(e.id)).toEqual([...PARTIES].sort());
    const [entry, ...more] = await confirmEntries(e.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ effector: OWNER, data: { via: 'email', booked_by: OWNER } });
    expect((await caughtInvites(e.id, 3)).flatMap((m) => m.envelope.to).sort()).toEqual([...PARTIES].sort());
  });

  it('numbers are those of the mail answered: "book 2" after slot 1 was removed still books the mail\'s slot 2', async () => {
    const { e, o } = await notifiedWithOwner();
    expect((await s.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { slots: THREE_SLOTS.slice(1) } })).status).toBe(202);
    expect((await s.reply(OWNER, o, 'book 2')).ok).toBe(true);
    await s.settle();
    expect((await s.event(e.id)).slots).toEqual([{ begin: THREE_SLOTS[1]!.begin, duration: '01:00:00' }]);
  });

  it('a number no longer in the list: one reply saying so, with the current list; nothing booked', async () => {
    const { e, o } = await notifiedWithOwner();
    expect((await s.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { slots: THREE_SLOTS.slice(0, 2) } })).status).toBe(202);
    const before = s.mailsTo(OWNER, e.id).length;
    expect((await s.reply(OWNER, o, 'book 3')).ok).toBe(true);
    await s.settle();
    const replies = s.mailsTo(OWNER, e.id).slice(before);
    expect(replies).toHaveLength(1);
    const text = replies[0]!.parsed.text ?? '';
    expect(text).toMatch(/Time 3 is not \(or no longer\) in the list, so nothing was booked/);
    expect(text).toMatch(/1\. Tue 11 Mar 2031, 14:00–15:00 UTC/);
    expect(text).toMatch(/2\. Wed 12 Mar 2031, 14:00–15:00 UTC/);
    expect(text).not.toMatch(/3\. Thu 13 Mar 2031/);
    expect((await s.event(e.id)).status).toBe('open');
    expect(await invites(e.id)).toEqual([]);
  });

  it('a party who is not the organizer writing "book 2" gets the help reply; nothing booked, nothing answered', async () => {
    const { e, a } = await notifiedWithOwner();
    const before = s.mailsTo(ALICE, e.id).length;
    expect((await s.reply(ALICE, a, 'book 2')).ok).toBe(true);
    await s.settle();
    const replies = s.mailsTo(ALICE, e.id).slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.parsed.text).toMatch(/Only the organizer can book a time/);
    const ev = await s.event(e.id);
    expect(ev.status).toBe('open');
    expect(ev.slots).toHaveLength(3);
    expect(ev.answers[ALICE]).toBeUndefined();
    expect(await invites(e.id)).toEqual([]);
  });

  it('"book" without a number: one reply explaining the command (to a party: that only the organizer books)', async () => {
    const { e, o, a } = await notifiedWithOwner();
    const before = s.mailsTo(OWNER, e.id).length;
    expect((await s.reply(OWNER, o, 'book the second one please')).ok).toBe(true);
    await s.settle();
    const replies = s.mailsTo(OWNER, e.id).slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.parsed.text).toMatch(/reply "book N"/);
    const aliceBefore = s.mailsTo(ALICE, e.id).length;
    expect((await s.reply(ALICE, a, 'book')).ok).toBe(true);
    await s.settle();
    const toAlice = s.mailsTo(ALICE, e.id).slice(aliceBefore);
    expect(toAlice).toHaveLength(1);
    expect(toAlice[0]!.parsed.text).toMatch(/Only the organizer can book a time/);
    expect((await s.event(e.id)).status).toBe('open');
  });
});
