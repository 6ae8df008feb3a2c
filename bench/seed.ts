// Seeds a benchmark database through the domain operations themselves.
import { parseConfig } from '../src/config/index.js';
import { buildDeps, type AppDeps } from '../src/deps.js';
import { addUser } from '../src/domain/users.js';
import { createEvent } from '../src/domain/events/create-event.js';
import { notifyParties } from '../src/domain/events/notify-parties.js';
import { startRetention, type RetentionReport } from '../src/scheduler/retention.js';
import type { MailPayload } from '../src/domain/notification.js';
import type { RawMessage } from '../test/helpers/raw-smtp.js';

const benchConfig = (dbUrl: string, dir: string) => parseConfig({ DATABASE_URL: dbUrl, DATA_DIR: dir, LOG_LEVEL: 'silent', MAIL_DOMAIN: 'calndro.test' });

export async function openBenchDeps(dbUrl: string, dir: string): Promise<AppDeps> {
  return buildDeps(benchConfig(dbUrl, dir));
}

/**
 * One retention run to the end, as the app's scheduled job does it (default settings): what a
 * server that ran all along has purged already, so a server started on the database has no
 * backlog to work through while it is measured.
 */
export async function catchUpRetention(dbUrl: string, dir: string): Promise<RetentionReport> {
  const d = await openBenchDeps(dbUrl, dir);
  try {
    const job = startRetention(benchConfig(dbUrl, dir), d.stores, () => new Date());
    const report = await job.runNow();
    await job.stop();
    if (!report?.complete) throw new Error(`retention did not finish: ${JSON.stringify(report)}`);
    return report;
  } finally {
    await d.close();
  }
}

/** `events` events with `parties` parties each, every party notified once (one outbox row each). */
export async function seedNotified(d: AppDeps, events: number, parties: number, slots = 3): Promise<number[]> {
  const owner = (await d.deps.users.findByEmail('owner@example.com')) ?? (await addUser(d.deps, { email: 'owner@example.com', password: 'bench password 1' }));
  const ctx = { actor: { kind: 'user' as const, user: owner }, via: 'cli' as const };
  const slotList = Array.from({ length: slots }, (_, i) => ({ begin: `2031-04-${String(i + 1).padStart(2, '0')}T09:00:00Z`, duration: '00:45' }));
  const ids: number[] = [];
  for (let e = 0; e < events; e++) {
    const list = Array.from({ length: parties }, (_, i) => `p${e}-${i}@example.com`);
    const ev = await createEvent(d.deps, ctx, { title: `Bench ${e}`, parties: list, slots: slotList });
    await notifyParties(d.deps, ctx, ev.id, { parties: list, slots: slotList });
    ids.push(ev.id);
  }
  return ids;
}

/** A reply "1,2" to each seeded notification (to those whose recipient passes `only`), as a mail client writes it. */
export async function replyMessages(d: AppDeps, only: (recipient: string) => boolean = () => true): Promise<RawMessage[]> {
  const rows = await d.stores.database.db.outboxMessage.findMany({ select: { recipient: true, payload: true, messageId: true }, orderBy: { id: 'asc' } });
  return rows.filter((r) => only(r.recipient)).map((r, i) => {
    const token = d.openSealed((JSON.parse(r.payload) as MailPayload).sealedToken!);
    const raw = [`From: <${r.recipient}>`, `To: <reply+${token}@calndro.test>`, 'Subject: Re: [calndro] pick your slots',
      `Message-ID: <bench-${i}@example.com>`, `In-Reply-To: ${r.messageId}`, 'Date: Wed, 25 Nov 2026 10:00:00 +0000', 'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8', '', '1,2 work for me', '', 'On Tue, calndro wrote:', '> 1. Tue 1 Apr 2031, 09:00-09:45 UTC',
      '> 2. Wed 2 Apr 2031', '> 3. Thu 3 Apr 2031', ''].join('\r\n');
    return { from: r.recipient, to: `reply+${token}@calndro.test`, raw: Buffer.from(raw) };
  });
}
