// A mail to new@ (SPEC §10) has its times read on the parse thread, at the app's clock: the
// processor sends its "now" with the job, so "tomorrow 10:00" in a mail without a Date header is
// the day after the app's today, not the wall clock's. INBOUND_PARSE_THREADS=0 reads the same.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildInjectApp, type InjectApp } from '../../helpers/inject-app.js';
import { addStandardUsers, OWNER } from '../../helpers/fixtures.js';
import { createInboundProcessor } from '../../../src/mail/inbound/processor.js';
import { createMailReader, type MailReader } from '../../../src/mail/inbound/mail-reader.js';
import { createBounceKeys } from '../../../src/security/bounce-keys.js';

// Years ahead of the wall clock: read at the wall clock, "tomorrow" would be years in the past.
const NOW = new Date('2031-03-03T09:00:00Z');
const clock = { now: () => new Date(NOW) };
const µs = (iso: string) => String(BigInt(Date.parse(iso)) * 1000n);

let t: InjectApp;
const readers: MailReader[] = [];
beforeAll(async () => {
  t = await buildInjectApp({}, clock);
  await addStandardUsers(t);
});
afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
  await t?.stop();
});

/** A mail to new@ as the SMTP door stores it, run through the processor reading with `threads`; the draft it started. */
async function organize(threads: number, messageId: string) {
  const reader = await createMailReader(threads);
  readers.push(reader);
  const { appDeps } = t.server;
  const processor = createInboundProcessor(appDeps.deps, appDeps.stores.inbound, appDeps.stores.outbox, {
    mailDomain: t.config.MAIL_DOMAIN, mailFrom: t.config.MAIL_FROM, helpPerHour: 3, bounceRowOf: createBounceKeys(appDeps.secretKey, t.config.MAIL_DOMAIN).rowOf,
  }, { concurrency: 1, read: reader.read });
  const message = {
    raw: Buffer.from([`From: ${OWNER}`, 'To: new@calndro.test, bob@example.com', `Subject: Sync ${threads}`, `Message-ID: ${messageId}`, '',
      'tomorrow 10:00', 'Friday 9:30 for 30 min', ''].join('\r\n')),
    mailFrom: OWNER, rcptTo: ['new@calndro.test'],
  };
  const { id } = await appDeps.stores.inbound.accept({ ...message, source: 'smtp' });
  processor.enqueue(id, message);
  await processor.idle();
  await processor.stop();
  const db = appDeps.stores.database.db;
  expect(await db.inboundMessage.findUnique({ where: { id } })).toMatchObject({ status: 'answered' });
  return { reader, draft: (await db.draft.findFirst({ where: { title: `Sync ${threads}` } }))! };
}

it('reads "tomorrow 10:00" on the parse thread at the app\'s clock, as the main thread does', async () => {
  const threaded = await organize(1, '<sync-threaded@example.com>');
  expect(threaded.reader.workers()).toHaveLength(1);
  const inline = await organize(0, '<sync-inline@example.com>');
  const want = [[µs('2031-03-04T10:00:00Z'), '3600000000'], [µs('2031-03-07T09:30:00Z'), '1800000000']];
  expect(JSON.parse(threaded.draft.slots)).toEqual(want);
  expect(JSON.parse(inline.draft.slots)).toEqual(want);
  expect(threaded.draft).toMatchObject({ zone: 'UTC', sender: OWNER, unreadable: '[]' });
});
