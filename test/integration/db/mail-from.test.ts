// MAIL_FROM in nodemailer's display-name form, end to end: the real server's outbox delivers a
// notification into a real SMTP catcher with that sender. Before the Hardening fix the whole
// value reached the ICS ORGANIZER and every row failed for good ("must be a valid email").
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMailServer, type MailServer } from '../../helpers/mail-server.js';
import { ALICE, basic, OWNER } from '../../helpers/fixtures.js';

let s: MailServer;
beforeAll(async () => {
  s = await startMailServer({ MAIL_FROM: 'calndro <bot@example.org>', OUTBOX_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await s?.t.stop();
  await s?.catcher.stop();
});

it('MAIL_FROM="calndro <bot@example.org>" delivers with that From and ICS organizer, bounces to its VERP address', async () => {
  const slots = [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }];
  const e = (await s.api('POST', '/', { auth: basic(OWNER), body: { title: 'From check', parties: [ALICE], slots } })).body;
  expect((await s.api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE], slots: e.slots } })).status).toBe(202);

  const m = await s.catcher.waitFor((x) => x.envelope.to.includes(ALICE) && x.parsed.headers.get('x-calndro-event') === String(e.id), 10_000);
  // The sender's name "via" the bot's name, which came out of MAIL_FROM.
  expect(m.parsed.from?.value).toEqual([{ address: 'bot@example.org', name: `${OWNER} via calndro` }]);
  // Reports come back per row (VERP, SPEC §5), at MAIL_DOMAIN, not to MAIL_FROM.
  expect(m.envelope.from).toMatch(/^bounce\+\d+-[0-9a-f]{32}@calndro\.test$/);
  const ics = m.parsed.attachments.find((a) => a.filename === 'invite.ics')!.content.toString('utf8');
  expect(ics.replace(/\r\n[ \t]/g, '')).toMatch(/^ORGANIZER;CN="calndro":MAILTO:bot@example\.org\r?$/m);
});
