import { simpleParser, type ParsedMail } from 'mailparser';
import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { freePort } from './free-ports.js';

export type CatcherMode = 'accept' | 'tempfail' | 'permfail';

export interface CaughtMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** the message came over TLS (STARTTLS) */
  secure: boolean;
}

export interface MailCatcherOptions {
  /** fixed port, e.g. to bring a "crashed" catcher back on the port the app already knows */
  port?: number;
  /** start in a failing mode (same as calling setMode right away) */
  failWith?: Exclude<CatcherMode, 'accept'>;
  /** key and certificate files: offer STARTTLS with them (off by default) */
  tls?: { key: string; cert: string };
}

export interface MailCatcher {
  port: number;
  /** accepted messages, in arrival order */
  messages: CaughtMail[];
  /** messages answered 451/550 (lets retry tests count attempts) */
  rejected: CaughtMail[];
  waitFor(predicate: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  waitForCount(n: number, timeoutMs?: number): Promise<CaughtMail[]>;
  /** 'tempfail' answers 451 at end of DATA, 'permfail' 550 */
  setMode(mode: CatcherMode): void;
  /** Wait this long before answering each DATA (slow receiver, for crash-mid-batch tests). */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

/** In-process SMTP server (smtp-server + mailparser) that records every message the app sends. */
export async function startMailCatcher(opts: MailCatcherOptions = {}): Promise<MailCatcher> {
  let mode: CatcherMode = opts.failWith ?? 'accept';
  let delayMs = 0;
  const messages: CaughtMail[] = [];
  const rejected: CaughtMail[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());

  const server = new SMTPServer({
    // No AUTH (it would be required by default → 530); STARTTLS only when asked for (a
    // self-signed certificate fails a client that verifies it).
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls && { key: readFileSync(opts.tls.key), cert: readFileSync(opts.tls.cert) }),
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    // stop() must not hang 30 s on a pooled client connection
    closeTimeout: 200,
    async onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      try {
        // Read the whole stream first (even when rejecting), else the client waits for a reply forever.
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        const raw = Buffer.concat(chunks);
        const mail: CaughtMail = {
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw,
          parsed: await simpleParser(raw),
          secure: session.secure,
        };
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (mode === 'accept') {
          messages.push(mail);
          callback();
        } else {
          rejected.push(mail);
          const err = Object.assign(
            new Error(mode === 'tempfail' ? 'Temporary failure, try again later (test catcher)' : 'Message rejected (test catcher)'),
            { responseCode: mode === 'tempfail' ? 451 : 550 },
          );
          callback(err);
        }
        notify();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
  // Clients resetting connections must not crash the test worker (smtp-server #117).
  server.on('error', () => {});

  const port = opts.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const tick = () => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        waiters.delete(tick);
        resolve(v);
      };
      const timer = setTimeout(() => {
        waiters.delete(tick);
        reject(new Error(`mail-catcher: timed out after ${timeoutMs} ms waiting for ${what}; got ${messages.length} message(s)`));
      }, timeoutMs);
      waiters.add(tick);
      tick();
    });

  return {
    port,
    messages,
    rejected,
    setMode: (m) => void (mode = m),
    setDelay: (ms) => void (delayMs = ms),
    waitFor: (predicate, timeoutMs = 5000) => waitUntil(() => messages.find(predicate), timeoutMs, 'a matching message'),
    waitForCount: (n, timeoutMs = 5000) => waitUntil(() => (messages.length >= n ? messages.slice() : undefined), timeoutMs, `${n} message(s)`),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
