// The IMAP door (SPEC §5): one instance at a time (database lease) reads new mail from a
// mailbox, stores it like the SMTP door does, and records a UIDVALIDITY/UID checkpoint only
// after the message is stored, so a restart neither skips nor repeats (storage deduplicates
// by Message-ID, so a crash between storing and the checkpoint repeats nothing either).
// IDLE wakes us on new mail; a poll timer covers servers or NATs where IDLE dies silently.
// Bounded like the SMTP door: new mail is read in batches of UIDs, sizes first, and a message
// over the size limit is recorded as skipped without ever being downloaded.
import { randomUUID } from 'node:crypto';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { MailboxState } from './ports.js';
import type { StoredMessage } from './smtp-listener.js';

export interface ImapPollerOptions {
  url: string;
  mailbox: string;
  /** 'flag' marks handled mail \Seen; 'move:<folder>' moves it there. */
  processed: string;
  pollSeconds: number;
  /** Messages larger than this (RFC822.SIZE) are skipped and recorded, never downloaded. */
  maxBytes: number;
  /** UIDs per FETCH (default 100). */
  batchSize?: number;
  leaseMs?: number;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

/** A message the poller did not download, for the record. */
export interface SkippedMessage {
  /** Stable per message: mailbox, UIDVALIDITY and UID. */
  key: string;
  messageId: string | null;
  from: string | null;
  size: number;
  reason: string;
}

export interface ImapPoller {
  /** Resolves after the next completed sync pass (tests). */
  synced(): Promise<void>;
  stop(): Promise<void>;
}

export function imapOptionsFromUrl(url: string): ImapFlowOptions {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 993 : 143)),
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false,
    disableAutoIdle: true,
    // Servers without IDLE: NOOP keeps the session alive; the poll timer finds new mail.
    missingIdleCommand: 'NOOP',
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Sources held in memory at once (a batch is split further by size). */
const BATCH_BYTES = 16 * 1024 * 1024;

/** Consecutive groups whose sizes add up to at most `budget` (a single larger one alone). */
function bySize<T extends { size: number }>(items: T[], budget: number): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (group.length && bytes + item.size > budget) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += item.size;
  }
  if (group.length) groups.push(group);
  return groups;
}

export function startImapPoller(
  opts: ImapPollerOptions,
  state: MailboxState,
  store: (m: StoredMessage) => Promise<void>,
  skipped: (m: SkippedMessage) => Promise<void>,
): ImapPoller {
  const batchSize = opts.batchSize ?? 100;
  const holder = randomUUID();
  const leaseName = `imap:${opts.url.replace(/\/\/[^@]*@/, '//')}:${opts.mailbox}`;
  const leaseMs = opts.leaseMs ?? 30_000;
  let stopped = false;
  let client: ImapFlow | null = null;
  let wake: (() => void) | null = null;
  let syncWaiters: (() => void)[] = [];

  const notifySynced = () => {
    const w = syncWaiters;
    syncWaiters = [];
    w.forEach((f) => f());
  };

  async function syncOnce(c: ImapFlow): Promise<void> {
    const box = c.mailbox;
    if (!box) throw new Error('mailbox not open');
    const uidValidity = String(box.uidValidity);
    const saved = await state.checkpoint(opts.mailbox);
    // A new UIDVALIDITY invalidates every UID we knew: read the mailbox again from the start.
    let lastUid = saved && saved.uidValidity === uidValidity ? saved.lastUid : 0;
    if (box.exists === 0) return;
    // UIDs only, then FETCH in batches: a mailbox with years of mail is never read in one go.
    // (`N:*` always includes the last message even when its UID is below N: filtered.)
    const found = await c.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    const uids = (found || []).filter((u) => u > lastUid).sort((a, b) => a - b);
    const done = async (uid: number) => {
      if (opts.processed === 'flag') await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      else {
        const folder = opts.processed.slice('move:'.length);
        await c.mailboxCreate(folder).catch(() => undefined);
        await c.messageMove(String(uid), folder, { uid: true });
      }
    };
    for (let i = 0; i < uids.length && !stopped; i += batchSize) {
      const batch = uids.slice(i, i + batchSize);
      // Collect first, then act: no command may run while a fetch iterator is open.
      const heads = (await c.fetchAll(batch.join(','), { uid: true, size: true, envelope: true }, { uid: true }))
        .map((m) => ({ uid: m.uid, size: m.size ?? Number.MAX_SAFE_INTEGER, envelope: m.envelope }))
        .sort((a, b) => a.uid - b.uid);
      const fits = heads.filter((h) => h.size <= opts.maxBytes);
      for (const group of bySize(fits, Math.max(BATCH_BYTES, opts.maxBytes))) {
        const sources = await c.fetchAll(group.map((h) => h.uid).join(','), { uid: true, source: true }, { uid: true });
        // A UID expunged since the search simply does not come back.
        for (const m of sources.sort((a, b) => a.uid - b.uid)) if (m.source) await store({ raw: m.source, mailFrom: null, rcptTo: [] });
      }
      for (const h of heads.filter((x) => x.size > opts.maxBytes)) {
        opts.log?.warn({ uid: h.uid, size: h.size, limit: opts.maxBytes }, 'imap: message over the size limit skipped');
        await skipped({
          key: `imap:${opts.mailbox}:${uidValidity}:${h.uid}`,
          messageId: h.envelope?.messageId ?? null,
          from: h.envelope?.from?.[0]?.address ?? null,
          size: h.size,
          reason: `message of ${h.size} bytes over the limit of ${opts.maxBytes} bytes (SMTP_MAX_BYTES): not downloaded`,
        });
      }
      // Checkpoint only after the batch is stored: a crash before it repeats nothing (dedupe).
      for (const h of heads) {
        await done(h.uid);
        lastUid = h.uid;
        await state.saveCheckpoint(opts.mailbox, uidValidity, lastUid);
      }
      // UIDs expunged since the search: nothing to read, move past them.
      const last = batch[batch.length - 1]!;
      if (last > lastUid) {
        lastUid = last;
        await state.saveCheckpoint(opts.mailbox, uidValidity, lastUid);
      }
    }
  }

  async function session(): Promise<void> {
    const c = new ImapFlow(imapOptionsFromUrl(opts.url));
    client = c;
    let closed = false;
    c.on('error', (err: Error) => opts.log?.warn({ err: err.message }, 'imap: connection error'));
    c.on('close', () => {
      closed = true;
      wake?.();
    });
    c.on('exists', () => wake?.());
    await c.connect();
    await c.mailboxOpen(opts.mailbox);
    opts.log?.info({ mailbox: opts.mailbox }, 'imap: connected');
    while (!stopped && !closed) {
      if (!(await state.acquireLease(leaseName, holder, leaseMs))) break; // another instance took over
      await syncOnce(c);
      notifySynced();
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(opts.pollSeconds * 1000, leaseMs / 3));
      });
      if (!closed && !stopped) void c.idle().catch(() => undefined);
      await woken;
      wake = null;
    }
    if (!closed) await c.logout().catch(() => c.close());
  }

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      if (!(await state.acquireLease(leaseName, holder, leaseMs).catch(() => false))) {
        await sleep(Math.min(leaseMs / 3, 5000));
        continue;
      }
      try {
        await session();
        failures = 0;
      } catch (err) {
        failures++;
        opts.log?.warn({ err: (err as Error).message, failures }, 'imap: session failed, reconnecting');
      }
      client = null;
      // Reconnect with exponential backoff (capped), immediately after a clean end.
      if (!stopped) await sleep(failures ? Math.min(250 * 2 ** failures, 60_000) : 100);
    }
    await state.releaseLease(leaseName, holder).catch(() => undefined);
  })();

  return {
    synced: () => new Promise((r) => syncWaiters.push(r)),
    async stop() {
      stopped = true;
      wake?.();
      const c = client as ImapFlow | null;
      if (c) await c.logout().catch(() => c.close());
      await loop;
    },
  };
}
