// Outbound mail end to end: API change → outbox row → worker → real SMTP → caught and parsed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import type { TestServer } from '../../helpers/server.js';
import { startMailServer, type MailServer } from '../../helpers/mail-server.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../helpers/mail-catcher.js';
import { ALICE, basic, BOB, OWNER, outboxRows } from '../../helpers/fixtures.js';
import { sleep } from '../../helpers/free-ports.js';

// Every test runs twice: mail built and sent on delivery threads (the default), and on the
// outbox's own thread (OUTBOX_THREADS=0).
describe.each([['delivery threads', '2'], ['main thread', '0']])('outbound mail (%s)', (_mode, threads) => {
  let t: TestServer;
  let catcher: MailCatcher;
  let api: MailServer['api'];

  beforeAll(async () => {
    ({ t, catcher, api } = await startMailServer({ OUTBOX_THREADS: threads }));
  });
  afterAll(async () => {
    await t?.stop();
    await catcher?.stop();
  });

  const mailsTo = (who: string, eventId: number) =>
    catcher.messages.filter((m) => m.envelope.to.includes(who) && m.parsed.headers.get('x-calndro-event') === String(eventId));

  async function waitForRows(eventId: number, pred: (statuses: string[]) => boolean, ms = 15_000) {
    const until = Date.now() + ms;
    for (;;) {
      const statuses = (await outboxRows(t, eventId)).map((r) => r.status);
      if (pred(statuses)) return statuses;
      if (Date.now() > until) throw new Error(`outbox rows stuck: ${statuses.join(',')}`);
      await sleep(50);
    }
  }

  function calendarOf(m: CaughtMail): { text: string; cal: ICAL.Component } {
    const att = m.parsed.attachments.find((a) => /calendar|ics/.test(a.contentType) || a.filename === 'invite.ics');
    if (!att) throw new Error('no calendar part');
    const text = att.content.toString('utf8');
    return { text, cal: new ICAL.Component(ICAL.parse(text)) };
  }

  async function createAndNotify(slots = [{ begin: '2031-03-11T16:00:00+02:00', duration: '01:30' }, { begin: '2031-03-12T23:30:00-05:00', duration: '1 02:00:00' }]) {
    const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Board <meeting> & lunch', parties: [ALICE, BOB], slots } })).body;
    expect((await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots, sender: 'Olivia Owner' } })).status).toBe(202);
    return e;
  }

  describe('notification mail', () => {
    it('arrives with the SPEC §4 headers, both parts, a working link and a parseable PUBLISH calendar', async () => {
      const e = await createAndNotify();
      await catcher.waitFor((m) => m.envelope.to.includes(BOB) && m.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
      const m = mailsTo(ALICE, e.id)[0] ?? (await catcher.waitFor((x) => x.envelope.to.includes(ALICE), 10_000));
      const rows = (await outboxRows(t, e.id)).filter((r) => r.recipient === ALICE);
      expect(m.parsed.messageId).toBe(rows[0]!.messageId);
      expect(m.parsed.headers.get('auto-submitted')).toBe('auto-generated');
      expect(m.parsed.from?.value[0]?.address).toBe(t.config.MAIL_FROM);
      // The caller's own address names the sender; the `sender` field is only logged.
      expect(m.parsed.from?.value[0]?.name).toBe(`${OWNER} via calndro`);
      const replyTo = m.parsed.replyTo?.value[0]?.address ?? '';
      expect(replyTo).toMatch(/^reply\+[0-9a-f]{40}@calndro\.test$/);
      expect(String(m.parsed.headers.get('references'))).toContain(`calndro.event.${e.id}@calndro.test`);
      expect(m.parsed.text).toContain('1.');
      expect(m.parsed.text).toContain('Board <meeting> & lunch');
      expect(m.parsed.html).toContain('Board &lt;meeting&gt; &amp; lunch');
      // The link carries the same personal token as the reply address, and it works.
      const token = replyTo.slice('reply+'.length, 'reply+'.length + 40);
      const link = (m.parsed.text ?? '').match(/https?:\/\/\S+\?et=[0-9a-f]{40}/)?.[0];
      expect(link).toBe(`${t.url}/${e.id}/?et=${token}`);
      const viaLink = await fetch(link!, { headers: { accept: 'application/json' } });
      expect(viaLink.status).toBe(200);
      expect((await viaLink.json()).id).toBe(e.id);
      // ICS: PUBLISH, one TENTATIVE VEVENT per slot, times in UTC whatever offset was written.
      const { text, cal } = calendarOf(m);
      expect(text).toContain('METHOD:PUBLISH');
      const vevents = cal.getAllSubcomponents('vevent');
      expect(vevents).toHaveLength(2);
      expect(vevents.map((v) => v.getFirstPropertyValue('status'))).toEqual(['TENTATIVE', 'TENTATIVE']);
      const starts = vevents.map((v) => (v.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString());
      expect(starts).toEqual(['2031-03-11T14:00:00.000Z', '2031-03-13T04:30:00.000Z']);
      const end = (vevents[1]!.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString();
      expect(end).toBe('2031-03-14T06:30:00.000Z');
      expect(String(vevents[0]!.getFirstPropertyValue('uid'))).toMatch(/@calndro\.test$/);
      await waitForRows(e.id, (s) => s.every((x) => x === 'sent'));
      const rowsAfter = await outboxRows(t, e.id);
      expect(rowsAfter.every((r) => r.payload.sealedToken === undefined)).toBe(true);
      const log = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries;
      expect(log.filter((x: { occurrence: string }) => x.occurrence === 'DELIVERED')).toHaveLength(2);
    });
  });

  describe('faults', () => {
    it('retries while the SMTP server is down and delivers each message once when it is back', async () => {
      const port = catcher.port;
      await catcher.stop();
      const e = await createAndNotify();
      await waitForRows(e.id, (s) => s.length === 2 && s.every((x) => x === 'pending'));
      await sleep(300);
      const attempts = (await t.server.appDeps.stores.database.db.outboxMessage.findMany({ where: { eventId: e.id } })).map((r) => r.attempts);
      expect(Math.min(...attempts)).toBeGreaterThanOrEqual(1);
      catcher = await startMailCatcher({ port });
      await waitForRows(e.id, (s) => s.every((x) => x === 'sent'), 20_000);
      const ids = catcher.messages.filter((m) => m.parsed.headers.get('x-calndro-event') === String(e.id)).map((m) => m.parsed.messageId);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
    });

    it('retries temporary 4xx answers, then delivers', async () => {
      catcher.setMode('tempfail');
      const e = await createAndNotify();
      await waitForRows(e.id, () => catcher.rejected.filter((m) => m.parsed.headers.get('x-calndro-event') === String(e.id)).length >= 2);
      catcher.setMode('accept');
      await waitForRows(e.id, (s) => s.every((x) => x === 'sent'), 20_000);
    });

    it('marks a permanent 5xx as failed at once and writes it into the log', async () => {
      catcher.setMode('permfail');
      const e = await createAndNotify();
      await waitForRows(e.id, (s) => s.every((x) => x === 'failed'));
      catcher.setMode('accept');
      const rows = await t.server.appDeps.stores.database.db.outboxMessage.findMany({ where: { eventId: e.id } });
      expect(rows.every((r) => r.attempts === 1 && /550/.test(r.lastError ?? ''))).toBe(true);
      const log = (await api('GET', `/${e.id}/log/`, { auth: basic(OWNER) })).body.entries;
      const failed = log.filter((x: { occurrence: string }) => x.occurrence === 'FAILED');
      expect(failed.map((f: { data: { recipient: string } }) => f.data.recipient).sort()).toEqual([ALICE, BOB]);
    });
  });

  describe('stopping', () => {
    it('gives claimed rows that were not attempted back, so a restart sends them at once', async () => {
      const slow = await startMailServer({ OUTBOX_THREADS: threads, OUTBOX_CONCURRENCY: '1' });
      try {
        slow.catcher.setDelay(150);
        const parties = Array.from({ length: 12 }, (_, i) => `guest${i}@example.test`);
        const e = (await slow.api('POST', '/', { auth: basic(OWNER), body: { title: 'Many guests', parties, slots: [{ begin: '2031-03-11T16:00:00Z', duration: '01:00' }] } })).body;
        await slow.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties, slots: e.slots } });
        // One in flight, the rest of the claim waiting behind it: stop mid-way.
        const prisma = slow.t.server.appDeps.stores.database.db;
        for (let i = 0; i < 100 && (await prisma.outboxMessage.count({ where: { eventId: e.id, status: 'sent' } })) < 2; i++) await sleep(20);
        await slow.t.server.outbox!.stop();
        const rows = await prisma.outboxMessage.findMany({ where: { eventId: e.id } });
        expect(rows.filter((r) => r.status === 'sending')).toEqual([]);
        expect(rows.filter((r) => r.status === 'pending').length).toBeGreaterThan(0);
        expect(rows.every((r) => r.status === 'sent' || (r.lockedBy === null && r.attempts === 0))).toBe(true);
      } finally {
        await slow.t.stop();
        await slow.catcher.stop();
      }
    });
  });

  describe('confirmation and cancellation', () => {
    it('sends the REQUEST invite once to every party, then CANCEL on delete', async () => {
      const e = await createAndNotify();
      await waitForRows(e.id, (s) => s.every((x) => x === 'sent'));
      const tokenOf = async (who: string) => {
        const m = mailsTo(who, e.id)[0]!;
        return (m.parsed.replyTo?.value[0]?.address ?? '').slice(6, 46);
      };
      const keep = [e.slots[0]];
      expect((await api('PATCH', `/${e.id}/`, { auth: { et: await tokenOf(ALICE) }, body: { slots: keep } })).body.status).toBe('open');
      expect((await api('PATCH', `/${e.id}/`, { auth: { et: await tokenOf(BOB) }, body: { slots: keep } })).body.status).toBe('confirmed');
      await waitForRows(e.id, (s) => s.length === 4 && s.every((x) => x === 'sent'));
      for (const who of [ALICE, BOB]) {
        const invites = mailsTo(who, e.id).filter((m) => /REQUEST/.test(m.raw.toString()));
        expect(invites).toHaveLength(1);
        const raw = invites[0]!.raw.toString();
        expect(raw).toMatch(/text\/calendar; (charset=utf-8; )?method=REQUEST/i);
        const { text, cal } = calendarOf(invites[0]!);
        expect(text).toContain('METHOD:REQUEST');
        const ve = cal.getFirstSubcomponent('vevent')!;
        expect(String(ve.getFirstPropertyValue('organizer'))).toMatch(/^mailto:meet\+[0-9a-f]{40}@calndro\.test$/i);
        const attendees = ve.getAllProperties('attendee').map((a) => String(a.getFirstValue()).toLowerCase());
        expect(attendees.sort()).toEqual([`mailto:${ALICE}`, `mailto:${BOB}`]);
        expect(ve.getAllProperties('attendee').every((a) => a.getParameter('rsvp') === 'TRUE')).toBe(true);
        expect((ve.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2031-03-11T14:00:00.000Z');
      }
      expect((await api('DELETE', `/${e.id}/`, { auth: basic(OWNER) })).status).toBe(204);
      await waitForRows(e.id, (s) => s.length === 6 && s.every((x) => x === 'sent'));
      for (const who of [ALICE, BOB]) {
        const cancel = mailsTo(who, e.id).find((m) => /METHOD:CANCEL/.test(m.raw.toString()))!;
        const ve = calendarOf(cancel).cal.getFirstSubcomponent('vevent')!;
        expect(ve.getFirstPropertyValue('sequence')).toBe(1);
        expect(ve.getFirstPropertyValue('status')).toBe('CANCELLED');
      }
    });
  });
});
