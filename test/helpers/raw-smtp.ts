// A minimal SMTP client: one session, many messages, no pipelining. Used where nodemailer
// would refuse the input (hostile messages) or add overhead (benchmarks).
import { createConnection } from 'node:net';

export interface RawMessage { from?: string; to: string; raw: Buffer }

/** Sends every message on one connection; returns the final reply code per message. */
export async function sendAll(
  port: number,
  messages: RawMessage[],
  onAccepted?: (index: number, at: number) => void,
  /** Awaited before each message (pacing). */
  before?: (index: number) => Promise<void>,
): Promise<number[]> {
  const socket = createConnection(port, '127.0.0.1');
  socket.setNoDelay(true);
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    let nl;
    while ((nl = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      if (/^\d{3} /.test(line)) waiters.shift()?.(line);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let failed: Error | null = null;
  socket.on('error', (err) => {
    failed = err;
    waiters.splice(0).forEach((w) => w('421 connection lost'));
  });
  const reply = () => {
    if (failed) return Promise.reject(failed);
    return new Promise<string>((r) => waiters.push(r));
  };
  const cmd = async (c: string | Buffer) => {
    const p = reply();
    socket.write(c);
    return p;
  };
  await reply();
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
  socket.end();
  await closed;
  return codes;
}
