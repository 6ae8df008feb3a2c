// The SMTP door (SPEC §5): accepts only the bot's own recipients at MAIL_DOMAIN, bounds
// connections, size and time per message, and answers 250 only after the message is stored
// durably. Everything else happens after.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { refuseRecipient } from './recipients.js';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  mailDomain: string;
  /** MAIL_NEW_LOCAL (default new): organizer mail to new@MAIL_DOMAIN is accepted too. */
  newLocal?: string;
  /** Connections at once; more are answered 421. */
  maxClients: number;
  /** Deadline for one message's DATA, in ms: a sender trickling bytes is answered 421 and dropped. */
  dataTimeoutMs: number;
  tls?: { key: string; cert: string };
  auth?: { user: string; password: string };
  log?: { warn(o: object, m: string): void };
}

export interface StoredMessage { raw: Buffer; mailFrom: string | null; rcptTo: string[] }

export interface SmtpListener {
  port: number;
  stop(): Promise<void>;
}

const MAX_RECIPIENTS = 50;

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** Equal-length digests compared in constant time: neither content nor length leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Idle sockets (between commands) are dropped after this; the DATA deadline covers trickling. */
const SOCKET_TIMEOUT_MS = 60_000;
/** stop() waits this long for open sessions before closing them. */
const CLOSE_TIMEOUT_MS = 5_000;

export async function startSmtpListener(opts: SmtpListenerOptions, store: (m: StoredMessage) => Promise<void>): Promise<SmtpListener> {
  const domain = opts.mailDomain.toLowerCase();
  const options: SMTPServerOptions = {
    name: domain,
    banner: 'calndro',
    size: opts.maxBytes,
    disableReverseLookup: true,
    maxClients: opts.maxClients,
    socketTimeout: Math.min(SOCKET_TIMEOUT_MS, opts.dataTimeoutMs),
    closeTimeout: CLOSE_TIMEOUT_MS,
    // An MX takes mail without AUTH; AUTH only when configured (a relay in front of us).
    authOptional: !opts.auth,
    ...(opts.auth ? {} : { disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'] }),
    ...(opts.tls ? { key: readFileSync(opts.tls.key), cert: readFileSync(opts.tls.cert) } : {}),
    onAuth(auth, _session, callback) {
      // Both compared, always: answering faster for a wrong user name would tell it apart.
      const userOk = opts.auth ? sameSecret(auth.username ?? '', opts.auth.user) : false;
      const passwordOk = opts.auth ? sameSecret(auth.password ?? '', opts.auth.password) : false;
      if (userOk && passwordOk) return callback(null, { user: auth.username });
      return callback(smtpError('5.7.8 Authentication failed', 535));
    },
    onRcptTo(address, session, callback) {
      const refused = refuseRecipient(address.address, domain, opts.newLocal);
      if (refused) return callback(smtpError(`5.1.1 <${address.address}>: ${refused}`, 550));
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError('4.5.3 Too many recipients', 452));
      return callback();
    },
    onData(stream, session, callback) {
      let chunks: Buffer[] = [];
      let size = 0;
      let answered = false;
      let timedOut = false;
      const answer = (err: Error | null, message?: string) => {
        clearTimeout(deadline);
        if (answered) return;
        answered = true;
        callback(err, message);
      };
      // Any byte resets the socket timeout, so only a deadline of our own stops a sender that
      // trickles a message for hours while holding a connection and its buffer.
      const deadline = setTimeout(() => {
        chunks = [];
        timedOut = true;
        opts.log?.warn({ session: session.id, bytes: size }, 'smtp: message not received within SMTP_DATA_TIMEOUT, closing');
        dropSession(session, `4.4.2 Message not received within ${Math.round(opts.dataTimeoutMs / 1000)} s, closing connection`);
      }, opts.dataTimeoutMs);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= opts.maxBytes && !timedOut) chunks.push(chunk);
      });
      stream.on('error', (err) => answer(err));
      stream.on('end', () => {
        clearTimeout(deadline);
        // Already answered 421 and closed: smtp-server still wants its callback.
        if (timedOut) return answer(smtpError('4.4.2 Message not received in time', 421));
        if (stream.sizeExceeded || size > opts.maxBytes) {
          return answer(smtpError(`5.3.4 Message too big (limit ${opts.maxBytes} bytes)`, 552));
        }
        const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
        store({ raw: Buffer.concat(chunks), mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address) })
          .then(() => answer(null, 'Message stored'))
          .catch((err: unknown) => {
            opts.log?.warn({ err }, 'smtp: could not store message');
            answer(smtpError('4.3.0 Temporary storage failure, try again later', 451));
          });
      });
    },
  };
  const server = new SMTPServer(options);
  /** 421 closes the connection (smtp-server's SMTPConnection.send); the sender retries later. */
  function dropSession(session: SMTPServerSession, message: string): void {
    for (const connection of server.connections) {
      if (connection.session === session) connection.send(421, message);
    }
  }
  // Client resets and timeouts surface here; they must not crash the process.
  server.on('error', (err) => opts.log?.warn({ err }, 'smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
