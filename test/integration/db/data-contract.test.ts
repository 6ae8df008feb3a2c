// One data contract (issue 9): prisma/schema.prisma is the data model. The migrations build
// exactly the schema Prisma would build from it, on both databases; and on SQLite, the fast path
// (prepared statements) and the Prisma path write the same rows, to the character, and read
// them back as the same records. A column added to the schema without a migration, or written
// by one path and not the other, fails here (src/db/README.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { buildInjectApp, type InjectApp } from '../../helpers/inject-app.js';
import { createTestDatabase, usingPostgres } from '../../helpers/database.js';
import { postgresShape, schemaScript, sqliteShape } from '../../helpers/schema-shape.js';
import { migrate } from '../../../src/db/migrate.js';
import { createEventStore } from '../../../src/db/event-store.js';
import { createInboundStore } from '../../../src/db/inbound-store.js';
import { createSerial } from '../../../src/db/serial.js';
import { toSqliteTime } from '../../../src/db/sqlite-time.js';
import type { EventChange, EventStore } from '../../../src/domain/ports.js';
import type { InboundStore } from '../../../src/mail/inbound/ports.js';

describe('migrations build the schema prisma/schema.prisma describes', () => {
  it.runIf(!usingPostgres())('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calndro-contract-'));
    try {
      await migrate(`file:${join(dir, 'migrated.db')}`);
      const direct = new BetterSqlite3(join(dir, 'direct.db'));
      direct.exec(schemaScript('sqlite'));
      direct.close();
      expect(sqliteShape(join(dir, 'migrated.db'))).toEqual(sqliteShape(join(dir, 'direct.db')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(usingPostgres())('PostgreSQL', async () => {
    const [migrated, direct] = [await createTestDatabase(), await createTestDatabase()];
    try {
      await migrate(migrated.url);
      const client = new pg.Client({ connectionString: direct.url });
      await client.connect();
      await client.query(schemaScript('postgresql', direct.url));
      await client.end();
      expect(await postgresShape(migrated.url)).toEqual(await postgresShape(direct.url));
    } finally {
      await Promise.all([migrated.drop(), direct.drop()]);
    }
  }, 60_000);
});

describe.runIf(!usingPostgres())('SQLite: the fast path and the Prisma path write and read the same rows', () => {
  const at = new Date('2031-05-06T07:08:09.123Z');
  let t: InjectApp;
  let prismaEvents: EventStore;
  let prismaInbound: InboundStore;
  let raw: BetterSqlite3.Database;

  beforeAll(async () => {
    t = await buildInjectApp({}, { now: () => new Date(at.getTime()) });
    await t.addUser('owner@example.com', 'owner password 1');
    const { db } = t.server.appDeps.stores.database;
    const serial = createSerial(true);
    // The stores without their SQLite fast path: Prisma alone, as on PostgreSQL.
    prismaEvents = createEventStore(db, serial, 'calndro.test', () => new Date(at.getTime()), () => {}, undefined, null);
    prismaInbound = createInboundStore(db, serial, () => new Date(at.getTime()));
    raw = new BetterSqlite3(t.server.appDeps.stores.database.location, { readonly: true });
  });
  afterAll(async () => {
    raw?.close();
    await t?.stop();
  });

  const rows = (table: string, where: string, ids: number[], drop: string[]) =>
    ids.map((id) => (raw.prepare(`SELECT * FROM "${table}" WHERE ${where} = ? ORDER BY id`).all(id) as Record<string, unknown>[])
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)))));

  async function writeThrough(events: EventStore, inbound: InboundStore, tag: string) {
    const [owner] = (await t.server.appDeps.deps.users.ensureUsers(['owner@example.com'])).values();
    const slot = { beginUs: 1_937_000_000_000_000n, durationUs: 3_600_000_000n };
    const created = await events.create({ title: 'Contract', ownerId: owner!, parties: ['p@example.org'], partyUserIds: [],
      slots: [slot], respondBy: new Date(at.getTime() + 86_400_000), log: { occurrence: 'UPDATE', effector: 'owner@example.com', slots: [slot], data: { created: true } } });
    const message = await inbound.accept({ raw: Buffer.from(`Message-ID: <${tag}@example.com>\r\n\r\n1\r\n`), source: 'smtp', mailFrom: null, rcptTo: [] });
    const change: EventChange = {
      title: 'Changed', slots: [slot], status: 'confirmed', answers: { 'p@example.org': ['k'] }, inviteSequence: 2, invitedAt: at,
      respondBy: new Date(at.getTime() + 2 * 86_400_000 + 1),
      followUp: { parties: { 'p@example.org': { since: at.toISOString(), sent: 1, last: at.toISOString() } }, summary: at.toISOString() },
      followUpAt: new Date(at.getTime() + 3 * 86_400_000 + 7),
      log: [{ occurrence: 'CONFIRM', effector: null, slots: [slot], data: { n: 1 } }],
      tokens: [{ hash: `hash-${tag}`, email: 'p@example.org', expiresAt: at, scope: 'rsvp' }],
      outbox: [{ eventId: created.id, kind: 'confirmation', recipient: 'p@example.org', payload: { kind: 'confirmation' } as never, tokenHash: `hash-${tag}` }],
      inbound: { id: message.id, status: 'applied', reason: 'kept 1' },
    };
    await events.mutate(created.id, () => change);
    return { eventId: created.id, inboundId: message.id };
  }

  it('rows written by either path are equal, column by column', async () => {
    const stores = t.server.appDeps.stores;
    const fast = await writeThrough(stores.events, stores.inbound, 'fast');
    const viaPrisma = await writeThrough(prismaEvents, prismaInbound, 'prisma');
    const ids = [fast.eventId, viaPrisma.eventId];
    const same = ([a, b]: unknown[][]) => expect(a).toEqual(b);
    same(rows('Event', 'id', ids, ['id']));
    same(rows('LogEntry', 'eventId', ids, ['id', 'eventId']));
    same(rows('EventToken', 'eventId', ids, ['id', 'eventId', 'hash', 'messageId']));
    // Each path links the token to the mail that carries it (the Message-ID differs per write).
    for (const id of ids) {
      expect(rows('EventToken', 'eventId', [id], [])[0]![0]!.messageId).toBe(rows('OutboxMessage', 'eventId', [id], [])[0]![0]!.messageId);
    }
    same(rows('OutboxMessage', 'eventId', ids, ['id', 'eventId', 'messageId', 'tokenHash']));
    same(rows('InboundMessage', 'id', [fast.inboundId, viaPrisma.inboundId], ['id', 'dedupeKey', 'raw', 'eventId']));
    // The adapter's stored form of a DateTime is the one the fast path writes (sqlite-time.ts).
    expect(rows('Event', 'id', ids, [])[1]![0]!.createdAt).toBe(toSqliteTime(at));
  });

  it('either path clears the deadline (respondBy null)', async () => {
    const stores = t.server.appDeps.stores;
    for (const [events, inbound, tag] of [[stores.events, stores.inbound, 'clear-fast'], [prismaEvents, prismaInbound, 'clear-prisma']] as const) {
      const { eventId } = await writeThrough(events, inbound, tag);
      expect((await events.get(eventId))!.respondBy).toEqual(new Date(at.getTime() + 2 * 86_400_000 + 1));
      const cleared = await events.mutate(eventId, () => ({ respondBy: null, log: [] }));
      expect(cleared.respondBy).toBeNull();
      expect(rows('Event', 'id', [eventId], [])[0]![0]!.respondBy).toBeNull();
    }
  });

  it('either path clears the follow-up due time (followUpAt null)', async () => {
    const stores = t.server.appDeps.stores;
    for (const [events, inbound, tag] of [[stores.events, stores.inbound, 'due-fast'], [prismaEvents, prismaInbound, 'due-prisma']] as const) {
      const { eventId } = await writeThrough(events, inbound, tag);
      expect((await events.get(eventId))!).toMatchObject({ followUpAt: new Date(at.getTime() + 3 * 86_400_000 + 7), followUp: { summary: at.toISOString() } });
      const cleared = await events.mutate(eventId, () => ({ followUpAt: null, log: [] }));
      expect(cleared.followUpAt).toBeNull();
      expect(rows('Event', 'id', [eventId], [])[0]![0]!.followUpAt).toBeNull();
    }
  });

  it('either path reads a row as the same record', async () => {
    const { eventId } = await writeThrough(prismaEvents, prismaInbound, 'read');
    expect(await t.server.appDeps.stores.events.get(eventId)).toEqual(await prismaEvents.get(eventId));
  });
});
