// PostgreSQL: a write that cannot get the event's row lock in time (another connection holds
// it) is answered "busy" (503 + Retry-After) over HTTP and retried later for mail, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startReplyScene, THREE_SLOTS, type ReplyScene } from '../../helpers/reply-scene.js';
import { usingPostgres } from '../../helpers/database.js';
import { ALICE, basic, OWNER } from '../../helpers/fixtures.js';
import { sleep } from '../../helpers/free-ports.js';

describe.skipIf(!usingPostgres())('a row lock held by another connection', () => {
  let s: ReplyScene;
  let other: pg.Client;
  beforeAll(async () => {
    s = await startReplyScene({ DB_LOCK_TIMEOUT_MS: '300' });
    other = new pg.Client({ connectionString: s.t.db.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await s?.stop();
  });

  async function holdLock(eventId: number) {
    await other.query('BEGIN');
    await other.query('SELECT id FROM "Event" WHERE id = $1 FOR UPDATE', [eventId]);
  }
  /** Sessions of the app's pool waiting for a lock right now. */
  async function waitingForLock(): Promise<number> {
    const r = await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    return r.rows[0].n as number;
  }
  async function until(check: () => Promise<boolean>, what: string) {
    for (const deadline = Date.now() + 10_000; !(await check());) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  it('PATCH answers 503 with Retry-After while the lock is held, and 202 once it is released', async () => {
    const { e } = await s.notified();
    await holdLock(e.id);
    try {
      const r = await s.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Renamed' } });
      expect(r.status).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(r.body.detail).toMatch(/try again/);
    } finally {
      await other.query('ROLLBACK');
    }
    expect((await s.api('PATCH', `/${e.id}/`, { auth: basic(OWNER), body: { title: 'Renamed' } })).status).toBe(202);
  });

  it('a reply that meets the held lock is tried again later and applied, with no answer about it', async () => {
    const { e, a } = await s.notified();
    await s.settle();
    const before = s.mailsTo(ALICE, e.id).length;
    await holdLock(e.id);
    try {
      expect((await s.reply(ALICE, a, '2')).ok).toBe(true);
      await until(async () => (await waitingForLock()) > 0, 'the reply to wait for the lock');
      await until(async () => (await waitingForLock()) === 0, 'the lock wait to time out');
    } finally {
      await other.query('ROLLBACK');
    }
    await s.settle();
    expect((await s.event(e.id)).slots.map((x: { begin: string }) => x.begin)).toEqual([THREE_SLOTS[1]!.begin]);
    const row = (await s.t.server.appDeps.stores.database.db.inboundMessage.findMany({ orderBy: { id: 'desc' }, take: 1 }))[0]!;
    expect(row).toMatchObject({ status: 'applied', eventId: e.id });
    // Only the acknowledgment of the applied answer: no "could not be applied" reply.
    expect(s.mailsTo(ALICE, e.id).slice(before).map((m) => m.parsed.headers.get('auto-submitted'))).toEqual(['auto-replied']);
  });
});
