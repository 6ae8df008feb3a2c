// A minimal SMTP client: one session, many messages, no pipelining. Used where nodemailer
// would refuse the input (hostile messages), add overhead (benchmarks), or cannot misbehave on
// purpose (a sender trickling its message, connections held open).
import { createConnection } from 'node:net';

export interface RawMessage { from?: string; to: string; raw: Buffer }

export interface SmtpSession {
  /** The next final reply line ("250 ..."), or "421 connection lost" once the socket failed or closed. */
  reply(): Promise<string>;
  /** Writes and waits for the reply. */
  cmd(c: string | Buffer): Promise<string>;
  /** Writes without waiting (a trickling sender); false once the socket is gone. */
  write(c: string | Buffer): boolean;
  /** Resolves when the server (or we) closed the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
  end(): void;
}

/** Connects and returns before the greeting: read it with reply(). */
export function openSmtpSession(port: number): SmtpSession {
  const socket = createConnection(port, '127.0.0.1');
  socket.setNoDelay(true);
  let buffer = '';
  let gone = false;
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const deliver = (line: string) => {
    const w = waiters.shift();
    if (w) w(line);
    else lines.push(line);
  };
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    let nl;
    while ((nl = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      if (/^\d{3} /.test(line)) deliver(line);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => {
    gone = true;
    waiters.splice(0).forEach((w) => w('421 connection lost'));
    resolve();
  }));
  socket.on('error', () => socket.destroy());
  const reply = () => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (gone) return Promise.resolve('421 connection lost');
    return new Promise<string>((r) => waiters.push(r));
  };
  return {
    reply,
    async cmd(c) {
      const p = reply();
      if (!gone) socket.write(c);
      return p;
    },
    write: (c) => !gone && socket.write(c),
    closed,
    isClosed: () => gone,
    end: () => socket.end(),
  };
}

/** Sends every message on one connection; returns the final reply code per message. */
export async function sendAll(
  port: number,
  messages: RawMessage[],
  onAccepted?: (index: number, at: number) => void,
  /** Awaited before each message (pacing). */
  before?: (index: number) => Promise<void>,
): Promise<number[]> {
  const session = openSmtpSession(port);
  const { cmd } = session;
  const greeting = await session.reply();
  if (!greeting.startsWith('220')) throw new Error(`no SMTP greeting: ${greeting}`);
  await cmd('EHLO client.example\r\n');
  const codes: number[] = [];
  for (const [i, m] of messages.entries()) {
    await before?.(i);
    await cmd(`MAIL FROM:<${m.from ?? 'client@example.com'}>\r\n`);
    const rcpt = await cmd(`RCPT TO:<${m.to}>\r\n`);
    if (!rcpt.startsWith('250')) {
      codes.push(Number(rcpt.slice(0, 3)));
      await cmd('RSET\r\n');
      continue;
    }
    await cmd('DATA\r\n');
    // Dot-stuffing (RFC 5321 §4.5.2); the data must end with CRLF before the final dot.
    const body = Buffer.from(m.raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1');
    const end = body.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n';
    const sentAt = Date.now();
    const code = Number((await cmd(Buffer.concat([body, Buffer.from(end)]))).slice(0, 3));
    codes.push(code);
    if (code === 250) onAccepted?.(i, sentAt);
  }
  await cmd('QUIT\r\n');
  session.end();
  await session.closed;
  return codes;
}
