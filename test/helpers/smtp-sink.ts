import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { chownForPeer, findBinary, peerAccount } from './dovecot.js';
import { freePort, readGreeting, waitForPortClosed } from './free-ports.js';

const execFileP = promisify(execFile);

export interface SmtpSinkOptions {
  /** dump every message to DIR/msg.<hex> (prefixed with X-Client-Addr, X-Mail-Args, X-Rcpt-Args headers) */
  dir?: string;
  /** SMTP commands answered with a 5xx, e.g. ['RCPT'] or ['.'] for end of DATA (smtp-sink -f) */
  hardReject?: string[];
  /** SMTP commands answered with a 4xx (smtp-sink -r) */
  softReject?: string[];
  /** SMTP commands after which the sink hangs up without replying (smtp-sink -q) */
  disconnectAfter?: string[];
  /** seconds to wait before answering DATA (smtp-sink -w): slow server */
  dataDelaySec?: number;
  /** listen backlog (last smtp-sink argument) */
  backlog?: number;
}

export interface SmtpSink {
  port: number;
  /** messages received so far (end-of-DATA count from smtp-sink -c) */
  received(): number;
  /** dumped files (only with `dir`) */
  files(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Postfix's smtp-sink on a free loopback port: a fast C catch-all for benchmarks and fault injection.
 * As root it needs `-u nobody` (it refuses to run as root) and the dump dir must belong to nobody.
 * It advertises AUTH but not STARTTLS, so nodemailer sends in clear without extra options.
 */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const bin = await findBinary('smtp-sink', 'postfix');
  const acct = await peerAccount();
  const args = ['-c'];
  if (acct.dropPrivileges) args.push('-u', acct.user);
  if (opts.dir) {
    await mkdir(opts.dir, { recursive: true });
    await chownForPeer(opts.dir, acct);
    // no % in the template: strftime leaves it alone and smtp-sink appends a random hex suffix
    args.push('-d', `${opts.dir}/msg.`);
  }
  if (opts.hardReject?.length) args.push('-f', opts.hardReject.join(','));
  if (opts.softReject?.length) args.push('-r', opts.softReject.join(','));
  if (opts.disconnectAfter?.length) args.push('-q', opts.disconnectAfter.join(','));
  if (opts.dataDelaySec) args.push('-w', String(opts.dataDelaySec));

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(bin, [...args, `127.0.0.1:${port}`, String(opts.backlog ?? 256)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let received = 0;
    let stderr = '';
    // -c prints "sess=N quit=N mesg=N\r" after every session/QUIT/"."
    child.stdout.on('data', (d: Buffer) => {
      const all = [...d.toString().matchAll(/mesg=(\d+)/g)];
      const last = all[all.length - 1];
      if (last?.[1]) received = Number(last[1]);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', () => {});
    let dead = false;
    const exited = new Promise<void>((r) => child.once('exit', () => ((dead = true), r())));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);

    const greeted = readGreetingRetry(port, () => dead).then(() => true);
    greeted.catch(() => {}); // a late rejection after the exit won the race must not go unhandled
    const ready = await Promise.race([greeted, exited.then(() => false)]);
    if (!ready) {
      process.off('exit', killOnExit);
      if (attempt < 3 && /address already in use/i.test(stderr)) continue;
      throw new Error(`smtp-sink failed to start on :${port}: ${stderr.trim()}`);
    }
    return {
      port,
      received: () => received,
      files: async () => (opts.dir ? (await readdir(opts.dir)).filter((f) => f.startsWith('msg.')).map((f) => `${opts.dir}/${f}`) : []),
      async stop() {
        process.off('exit', killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
        await waitForPortClosed(port);
      },
    };
  }
}

async function readGreetingRetry(port: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await readGreeting(port, /^220 /, 2000);
      return;
    } catch (e) {
      if (Date.now() > deadline || dead()) throw e;
      await new Promise((r) => setTimeout(r, 30));
    }
  }
}

export interface SmtpSourceOptions {
  port: number;
  host?: string;
  /** total messages (-m) */
  messages?: number;
  /** parallel sessions (-s) */
  sessions?: number;
  /** keep each session open for its next message (-d), as our own bench client does; default: a new connection per message */
  reuseConnections?: boolean;
  /** body size in bytes (-l) */
  size?: number;
  from?: string;
  to?: string;
  subject?: string;
  /** extra raw smtp-source arguments */
  extraArgs?: string[];
  timeoutMs?: number;
}

/** Postfix's smtp-source load generator; resolves with the wall time once all messages were sent. */
export async function runSmtpSource(o: SmtpSourceOptions): Promise<{ ms: number; messages: number; output: string }> {
  const bin = await findBinary('smtp-source', 'postfix');
  const messages = o.messages ?? 100;
  const args = ['-m', String(messages), '-s', String(o.sessions ?? 10)];
  if (o.reuseConnections) args.push('-d');
  if (o.size) args.push('-l', String(o.size));
  args.push('-f', o.from ?? 'load@example.test', '-t', o.to ?? 'sink@example.test', '-S', o.subject ?? 'smtp-source load');
  args.push(...(o.extraArgs ?? []), `${o.host ?? '127.0.0.1'}:${o.port}`);
  const t0 = performance.now();
  const { stdout, stderr } = await execFileP(bin, args, { timeout: o.timeoutMs ?? 120_000 });
  return { ms: performance.now() - t0, messages, output: stdout + stderr };
}
