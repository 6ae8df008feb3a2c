// The IMAP door (SPEC §5): one instance at a time (database lease) reads new mail from a
// mailbox, stores it like the SMTP door does, and records a UIDVALIDITY/UID checkpoint only
// after the message is stored, so a restart neither skips nor repeats (storage deduplicates
// by Message-ID, so a crash between storing and the checkpoint repeats nothing either).
// IDLE wakes us on new mail; a poll timer covers servers or NATs where IDLE dies silently.
import { randomUUID } from 'node:crypto';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { MailboxState } from '../../db/mailbox-state.js';
import type { StoredMessage } from './smtp-listener.js';

export interface ImapPollerOptions {
  url: string;
  mailbox: string;
  /** 'flag' marks handled mail \Seen; 'move:<folder>' moves it there. */
  processed: string;
  pollSeconds: number;
  leaseMs?: number;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
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

export function startImapPoller(opts: ImapPollerOptions, state: MailboxState, store: (m: StoredMessage) => Promise<void>): ImapPoller {
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
    // Collect first, then act: no command may run while a fetch iterator is open.
    const messages = (await c.fetchAll(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true }))
      .filter((m) => m.uid > lastUid)
      .sort((a, b) => a.uid - b.uid);
    for (const m of messages) {
      if (!m.source) continue;
      await store({ raw: m.source, mailFrom: null, rcptTo: [] });
      if (opts.processed === 'flag') await c.messageFlagsAdd(String(m.uid), ['\\Seen'], { uid: true });
      else {
        const folder = opts.processed.slice('move:'.length);
        await c.mailboxCreate(folder).catch(() => undefined);
        await c.messageMove(String(m.uid), folder, { uid: true });
      }
      lastUid = m.uid;
      await state.saveCheckpoint(opts.mailbox, uidValidity, lastUid);
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
