// The SMTP door (SPEC §5): accepts only recipients at MAIL_DOMAIN, enforces the size limit,
// and answers 250 only after the message is stored durably. Everything else happens after.
import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  mailDomain: string;
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

export async function startSmtpListener(opts: SmtpListenerOptions, store: (m: StoredMessage) => Promise<void>): Promise<SmtpListener> {
  const domain = opts.mailDomain.toLowerCase();
  const options: SMTPServerOptions = {
    name: domain,
    banner: 'calndro',
    size: opts.maxBytes,
    disableReverseLookup: true,
    // An MX takes mail without AUTH; AUTH only when configured (a relay in front of us).
    authOptional: !opts.auth,
    ...(opts.auth ? {} : { disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'] }),
    ...(opts.tls ? { key: readFileSync(opts.tls.key), cert: readFileSync(opts.tls.cert) } : {}),
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) return callback(null, { user: auth.username });
      return callback(smtpError('5.7.8 Authentication failed', 535));
    },
    onRcptTo(address, session, callback) {
      const at = address.address.lastIndexOf('@');
      if (at < 0 || address.address.slice(at + 1).toLowerCase() !== domain) {
        return callback(smtpError(`5.1.1 <${address.address}>: we only accept mail for @${domain}`, 550));
      }
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError('4.5.3 Too many recipients', 452));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= opts.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > opts.maxBytes) {
          return callback(smtpError(`5.3.4 Message too big (limit ${opts.maxBytes} bytes)`, 552));
        }
        const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
        store({ raw: Buffer.concat(chunks), mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address) })
          .then(() => callback(null, 'Message stored'))
          .catch((err: unknown) => {
            opts.log?.warn({ err }, 'smtp: could not store message');
            callback(smtpError('4.3.0 Temporary storage failure, try again later', 451));
          });
      });
    },
  };
  const server = new SMTPServer(options);
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
