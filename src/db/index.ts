// Opens the database (migrating it first) and builds the stores the domain needs.
import { createDatabase, type Database } from './client.js';
import { migrate } from './migrate.js';
import { createSerial, type Serial } from './serial.js';
import { createEventStore } from './event-store.js';
import { createApiTokenStore, createEventTokenStore, createUserStore } from './user-store.js';
import { createLogStore } from './log-store.js';
import { createOutboxStore } from './outbox-store.js';
import { createMailHistory } from './mail-history.js';
import { createInboundStore } from './inbound-store.js';
import { createMailboxState } from './mailbox-state.js';
import { createJobSchedule } from './job-schedule.js';
import { createRetentionStore } from './retention-store.js';
import { createFollowUpQueue } from './follow-up-queue.js';
import { openSqliteFastPath } from './sqlite-fast-path.js';
import { createWalSync } from './wal-sync.js';
import { CHECKPOINT_FALLBACK_PAGES, createWalCheckpointer, type CheckpointLog } from './wal-checkpoint.js';
import { createWriteBatch } from './write-batch.js';
import { createDraftStore } from './draft-store.js';
import type { DraftStore } from '../domain/ports.js';
import { systemClock } from '../system-clock.js';
import type { ApiTokenStore, Clock, EventStore, EventTokenStore, LogStore, MailHistory, UserStore } from '../domain/ports.js';
import type { InboundStore, MailboxState } from '../mail/inbound/ports.js';
import type { OutboxStore } from '../mail/outbound/ports.js';
import type { FollowUpQueue, JobSchedule, RetentionStore } from '../scheduler/ports.js';

export interface Stores {
  database: Database;
  serial: Serial;
  events: EventStore;
  users: UserStore;
  apiTokens: ApiTokenStore;
  eventTokens: EventTokenStore;
  log: LogStore;
  outbox: OutboxStore;
  mail: MailHistory;
  drafts: DraftStore;
  inbound: InboundStore;
  mailbox: MailboxState;
  /** The clock every store stamps its rows with (the domain and the workers use the same one). */
  clock: Clock;
  schedule: JobSchedule;
  retention: RetentionStore;
  followUps: FollowUpQueue;
  /** Called whenever a committed change queued mail; the outbox worker subscribes. */
  onOutbox: { listener: () => void };
  /** Where the stores' own background work (the checkpoint thread) reports failures, once a logger exists. */
  useLog(log: CheckpointLog): void;
  close(): Promise<void>;
}

export async function openStores(url: string, opts: { mailDomain: string; clock?: Clock; migrate?: boolean; lockTimeoutMs?: number }): Promise<Stores> {
  if (opts.migrate !== false) await migrate(url);
  const database = await createDatabase(url);
  const { db } = database;
  // SQLite: every write (Prisma's and the fast path's) runs in the serial queue; the checkpoint
  // thread follows each (wal-checkpoint.ts).
  let log: CheckpointLog | undefined;
  const checkpoints = database.provider === 'sqlite' ? createWalCheckpointer(database.location, () => log) : null;
  const serial = createSerial(database.provider === 'sqlite', () => checkpoints?.committed());
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const onOutbox = { listener: () => {} };
  const fast = database.provider === 'sqlite' ? openSqliteFastPath(database.location) : undefined;
  // The Prisma adapter's own (single) connection: same durability trade-off as the fast path,
  // and checkpoints left to the checkpoint thread as well (wal-checkpoint.ts).
  if (fast) {
    await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_FALLBACK_PAGES}`);
  }
  // SQLite: hot paths on prepared statements, writes of one event-loop turn in one commit.
  const sqlite = fast && { path: fast, batch: createWriteBatch((writes) => fast.runInTransaction(writes), serial) };
  return {
    database,
    serial,
    events: createEventStore(db, serial, opts.mailDomain, now, () => onOutbox.listener(), sqlite, opts.lockTimeoutMs),
    users: createUserStore(db, serial, now, fast),
    apiTokens: createApiTokenStore(db, serial, fast),
    eventTokens: createEventTokenStore(db, serial, fast),
    log: createLogStore(db, serial, now, fast),
    outbox: createOutboxStore(db, serial, now, fast),
    mail: createMailHistory(db, serial, fast),
    drafts: createDraftStore(db, serial, opts.mailDomain, now, () => onOutbox.listener()),
    inbound: createInboundStore(db, serial, now, sqlite && { ...sqlite, walSync: createWalSync(database.location) }),
    mailbox: createMailboxState(db, serial, now),
    clock,
    schedule: createJobSchedule(db, serial, now),
    retention: createRetentionStore(db, serial, now),
    followUps: createFollowUpQueue(db, serial, now),
    onOutbox,
    useLog: (l) => {
      log = l;
    },
    close: async () => {
      if (checkpoints) await checkpoints.close();
      fast?.close();
      await db.$disconnect();
    },
  };
}
