// A stored inbound message carries "h" + a token's hash where the token was (SPEC §1), and that
// form identifies the party when the message is processed. The hash is no secret (event_tokens,
// every stored message, a backup hold it): written by a sender, it must identify nobody, while
// the scrubber's own form still does, also after a restart.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createTestDatabase } from '../../helpers/database.js';
import { client } from '../../helpers/api.js';
import { freePort } from '../../helpers/free-ports.js';
import { swaks } from '../../helpers/swaks.js';
import { tokenHash } from '../../../src/security/tokens.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER, tokenFor } from '../../helpers/fixtures.js';

const db = await createTestDatabase();
let smtpPort: number;
const SLOTS = [{ begin: '2031-03-11T14:00:00Z', duration: '01:00' }, { begin: '2031-03-12T14:00:00Z', duration: '01:00' }, { begin: '2031-03-13T14:00:00Z', duration: '01:00' }];
const start = () => startTestServer({ SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort) }, db);

beforeAll(async () => {
  smtpPort = await freePort();
  const t = await start();
  await addStandardUsers(t);
  await t.stop();
});
afterAll(() => db.drop());

async function notifiedEvent(t: TestServer, title: string) {
  const api = client(t.url);
  const e = (await api('POST', '/', { auth: basic(OWNER), body: { title, parties: [ALICE, BOB], slots: SLOTS } })).body;
  await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
  return { e, token: await tokenFor(t, e.id, ALICE), read: async () => (await api('GET', `/${e.id}/`, { auth: basic(OWNER) })).body };
}

const lastRow = async (t: TestServer) => (await t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0]!;

it('a token\'s hash written in a To header (plain or encoded) changes nothing; the token itself does', async () => {
  const t = await start();
  try {
    const { token, read } = await notifiedEvent(t, 'Review');
    const hash = tokenHash(token);
    const forged = [
      `reply+h${hash}@calndro.test`,
      `REPLY+H${hash.toUpperCase()}@calndro.test`,
      // Read out of a Q-encoded word by mail parsing: the scrubber sees "h=XX…", not the form.
      `=?utf-8?Q?reply+h=${hash.charCodeAt(0).toString(16).toUpperCase()}${hash.slice(1)}@calndro.test?=`,
    ];
    for (const to of forged) {
      const r = await swaks(smtpPort, ['--from', 'mallory@evil.example', '--to', 'new@calndro.test',
        '--header', `To: ${to}`, '--header', 'From: mallory@evil.example', '--header', 'Subject: Re: Review', '--body', '2']);
      expect(r.ok, r.output).toBe(true);
      await t.server.inbound.idle();
      const row = await lastRow(t);
      expect([row.status, row.reason], to).toEqual(['quarantined', 'unknown token (a stored form sent from outside)']);
      expect((await read()).slots, to).toHaveLength(3);
    }
    expect(await t.server.appDeps.stores.database.db.draft.count()).toBe(0);

    const r = await swaks(smtpPort, ['--from', ALICE, '--to', `reply+${token}@calndro.test`, '--header', `From: ${ALICE}`, '--header', 'Subject: Re: Review', '--body', '2']);
    expect(r.ok, r.output).toBe(true);
    await t.server.inbound.idle();
    expect((await lastRow(t)).status).toBe('applied');
    expect((await read()).slots).toEqual([{ begin: '2031-03-12T14:00:00Z', duration: '01:00:00' }]);
  } finally {
    await t.stop();
  }
}, 60_000);

it('after a restart, a stored reply is identified by the stored form and a forged one is not', async () => {
  const first = await start();
  const { e, token } = await notifiedEvent(first, 'Restart');
  const hash = tokenHash(token);
  const accept = (raw: string, rcptTo: string[], mailFrom: string) =>
    first.server.appDeps.stores.inbound.accept({ raw: Buffer.from(raw), mailFrom, rcptTo, source: 'smtp' });
  // Stored as the SMTP door stores them, then the process stops before processing them.
  const forged = await accept([`From: mallory@evil.example`, `To: reply+h${hash}@calndro.test`, 'Subject: Re', 'Message-ID: <forged@evil.example>', '', '1', ''].join('\r\n'), ['new@calndro.test'], 'mallory@evil.example');
  // The token only in a header (folded) and the envelope: both stored as the hash.
  const genuine = await accept([`From: ${ALICE}`, `To: Calndro\r\n <reply+${token.slice(0, 20)}\r\n ${token.slice(20)}@calndro.test>`, 'Subject: Re', 'Message-ID: <genuine@example.org>', '', '2', ''].join('\r\n'), [`reply+${token}@calndro.test`], ALICE);
  const rows = first.server.appDeps.stores.database.db.inboundMessage;
  const stored = (await rows.findUnique({ where: { id: genuine.id } }))!;
  expect(Buffer.from(stored.raw).toString('latin1')).toContain(`<reply+h${hash}@calndro.test>`);
  expect(stored.rcptTo).toBe(`reply+h${hash}@calndro.test`);
  expect(Buffer.from((await rows.findUnique({ where: { id: forged.id } }))!.raw).toString('latin1')).toContain(`To: reply+x${hash}@calndro.test`);
  await first.stop();

  const second = await start();
  try {
    await second.server.inbound.idle();
    const after = second.server.appDeps.stores.database.db.inboundMessage;
    expect((await after.findUnique({ where: { id: forged.id } }))!.status).toBe('quarantined');
    expect((await after.findUnique({ where: { id: genuine.id } }))!.status).toBe('applied');
    expect((await client(second.url)('GET', `/${e.id}/`, { auth: basic(OWNER) })).body.slots).toEqual([{ begin: '2031-03-12T14:00:00Z', duration: '01:00:00' }]);
  } finally {
    await second.stop();
  }
}, 60_000);
