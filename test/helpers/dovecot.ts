import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import nodemailer from 'nodemailer';
import { freePort, readGreeting, waitForPortClosed } from './free-ports.js';

// Async only: a sync exec would block the event loop of a test that also hosts servers (MAIL-NOTES §6).
const execFileP = promisify(execFile);

export interface DovecotOptions {
  user?: string;
  password?: string;
}

export interface Dovecot {
  host: string;
  imapPort: number;
  lmtpPort: number;
  user: string;
  password: string;
  /** temp dir with dovecot.conf, passwd, dovecot.log, mail/ (removed by stop()) */
  dir: string;
  /** Kill the server (whole process group), wait until the ports are closed, then delete `dir` (kept if KEEP_TEST_PEERS is set). */
  stop(): Promise<void>;
  /** Crash: SIGKILL master and children, wait until the ports are closed; `dir` is kept so `restart()` works. */
  kill(): Promise<void>;
  /** Stop (if running) and start again on the same ports and mail dir: every IMAP client sees a dropped connection. */
  restart(): Promise<void>;
  /** Drop all IMAP sessions of `user` (doveadm kick) while the server stays up. */
  kick(): Promise<void>;
  /** Contents of dovecot.log, for assertion messages. */
  log(): Promise<string>;
}

/** Resolve an executable on PATH plus the sbin dirs (a non-root PATH on Debian lacks /usr/sbin). */
export async function findBinary(name: string, debianPackage: string): Promise<string> {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, name);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  throw new Error(
    `${name} not found: install the Debian package "${debianPackage}" ` +
      `(apt-get install -y --no-install-recommends ${debianPackage}; .ci/run does this)`,
  );
}

export interface PeerAccount {
  user: string;
  group: string;
  uid: number;
  gid: number;
  /** true when we are root and must hand the peer to `nobody` (dovecot/smtp-sink refuse or misbehave as root) */
  dropPrivileges: boolean;
}

/** As root run peers as nobody:nogroup; otherwise as ourselves (dovecot runs fine when every user is the same uid). */
export async function peerAccount(): Promise<PeerAccount> {
  if (process.getuid?.() === 0) {
    const passwd = await readFile('/etc/passwd', 'utf8');
    const nobody = passwd.split('\n').find((l) => l.startsWith('nobody:'))?.split(':');
    const uid = Number(nobody?.[2] ?? 65534);
    const gid = Number(nobody?.[3] ?? 65534);
    return { user: 'nobody', group: await groupName(gid, 'nogroup'), uid, gid, dropPrivileges: true };
  }
  const me = os.userInfo();
  return { user: me.username, group: await groupName(me.gid, me.username), uid: me.uid, gid: me.gid, dropPrivileges: false };
}

async function groupName(gid: number, fallback: string): Promise<string> {
  const groups = await readFile('/etc/group', 'utf8').catch(() => '');
  return groups.split('\n').map((l) => l.split(':')).find((f) => Number(f[2]) === gid)?.[0] ?? fallback;
}

/** chown -R the dir to the peer account (no-op when not root). */
export async function chownForPeer(dir: string, acct: PeerAccount): Promise<void> {
  if (acct.dropPrivileges) await execFileP('chown', ['-R', `${acct.uid}:${acct.gid}`, dir]);
}

// Peers spawned by this worker; killed when the worker exits so a failing test leaves no daemons behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL'); // detached: the group, not just the master
    } catch {
      /* gone */
    }
  }
});

let instanceSeq = 0;

function config(dir: string, acct: PeerAccount, instance: string, imapPort: number, lmtpPort: number): string {
  // MAIL-NOTES §6, with the ports and paths filled in.
  return `protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = ${instance}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${acct.user}
default_internal_group = ${acct.group}
default_login_user = ${acct.user}
mail_location = maildir:${dir}/mail/%n/Maildir
# What each session sent, logged when it ends (tests check that big messages were never downloaded).
imap_logout_format = in=%i out=%o fetch_hdr_bytes=%{fetch_hdr_bytes} fetch_body_bytes=%{fetch_body_bytes}
passdb {
  driver = passwd-file
  # username_format=%n would strip @domain and every login would fail
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${acct.uid} gid=${acct.gid} home=${dir}/mail/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
service anvil {
  chroot =
}
`;
}

export async function startDovecot(opts: DovecotOptions = {}): Promise<Dovecot> {
  const bin = await findBinary('dovecot', 'dovecot-imapd');
  const doveadm = await findBinary('doveadm', 'dovecot-core');
  const acct = await peerAccount();
  const user = opts.user ?? 'bot@example.test';
  const password = opts.password ?? 'secret';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'calndro-dovecot-'));
  const conf = path.join(dir, 'dovecot.conf');
  const instance = `calndro-${process.pid}-${++instanceSeq}`;
  await Promise.all(['run', 'state', 'mail'].map((d) => mkdir(path.join(dir, d))));
  await writeFile(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`);

  let child: ChildProcess | undefined;
  let imapPort = 0;
  let lmtpPort = 0;

  // -F keeps the master as our child: we reap it ourselves and see its exit at once. A daemonized
  // master (what `dovecot` / `dovecot stop` do) lingers as a zombie until PID 1 reaps it, which in
  // this container made `dovecot stop` take ~2.5 s.
  const spawnMaster = async (): Promise<void> => {
    let output = '';
    const c = spawn(bin, ['-F', '-c', conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // own process group: lets stop/kill take down imap/login children too (see stopMaster)
      detached: true,
      ...(acct.dropPrivileges ? { uid: acct.uid, gid: acct.gid } : {}),
    });
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    live.add(c);
    let dead = false;
    const exited = new Promise<number | null>((r) => c.once('exit', (code) => (live.delete(c), (dead = true), r(code))));
    c.once('error', () => {}); // surfaced through `exited`/greeting failure below
    child = c;
    // The IMAP greeting proves the listeners and the auth process are up (LMTP shares the master's listeners).
    const ready = readGreetingUntil(imapPort, 10_000, () => dead).then(() => 'ok' as const);
    ready.catch(() => {}); // if the exit wins the race, the late rejection must not become an unhandled one
    const result = await Promise.race([ready, exited]);
    if (result !== 'ok') {
      const log = await readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
      throw new Error(`dovecot exited (code ${result}) before greeting on :${imapPort}\n${output}\n${log}`);
    }
  };

  // Always SIGKILL the whole process group. Measured here: SIGTERM to the master takes ~1.1 s to exit
  // and logged-in imap processes outlive it by ~9 s (clients see no drop), so a graceful stop buys
  // nothing for a throw-away test server. Killing the group drops every connection at once.
  const stopMaster = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c?.pid) return;
    const gone = c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* group already empty */
    }
    await gone;
    await Promise.all([waitForPortClosed(imapPort), waitForPortClosed(lmtpPort)]);
  };

  // Retry with new ports: freePort() can race with another process grabbing the same port.
  for (let attempt = 1; ; attempt++) {
    [imapPort, lmtpPort] = await Promise.all([freePort(), freePort()]);
    await writeFile(conf, config(dir, acct, instance, imapPort, lmtpPort));
    await chownForPeer(dir, acct);
    try {
      await spawnMaster();
      break;
    } catch (e) {
      await stopMaster();
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }

  return {
    host: '127.0.0.1',
    imapPort,
    lmtpPort,
    user,
    password,
    dir,
    async stop() {
      await stopMaster();
      if (!process.env.KEEP_TEST_PEERS) await rm(dir, { recursive: true, force: true });
    },
    async kill() {
      await stopMaster();
    },
    async restart() {
      await stopMaster();
      await spawnMaster();
    },
    async kick() {
      await execFileP(doveadm, ['-c', conf, 'kick', user]);
    },
    log: () => readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => ''),
  };
}

async function readGreetingUntil(port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await readGreeting(port, /^\* OK .*ready/i, 3000);
      return;
    } catch (e) {
      if (Date.now() > deadline || dead()) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** ImapFlow options for this server (no TLS on loopback, library logging off). A new ImapFlow per connection: instances are single-use. */
export function imapOptions(d: Dovecot, extra: Partial<ImapFlowOptions> = {}): ImapFlowOptions {
  return {
    host: d.host,
    port: d.imapPort,
    secure: false,
    auth: { user: d.user, pass: d.password },
    logger: false,
    ...extra,
  };
}

/** IMAP APPEND raw into `mailbox` (created if missing). Returns the UID dovecot assigned (UIDPLUS). */
export async function appendMessage(d: Dovecot, raw: string | Buffer, mailbox = 'INBOX', flags: string[] = []): Promise<{ uid?: number }> {
  const client = new ImapFlow(imapOptions(d));
  client.on('error', () => {}); // errors surface through the awaited calls
  await client.connect();
  try {
    if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailbox).catch(() => undefined); // already exists
    const res = await client.append(mailbox, raw, flags);
    if (!res) throw new Error(`APPEND to ${mailbox} failed`);
    return { uid: res.uid };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Deliver like an MTA would (LMTP into dovecot): triggers EXISTS/IDLE notifications the same way real mail does. */
export async function deliverMessage(d: Dovecot, raw: string | Buffer, envelope: { from?: string; to?: string[] } = {}): Promise<void> {
  const transport = nodemailer.createTransport({ host: d.host, port: d.lmtpPort, lmtp: true, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: envelope.from ?? 'sender@example.test', to: envelope.to ?? [d.user] }, raw });
  } finally {
    transport.close();
  }
}
