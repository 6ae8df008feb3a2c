// A minimal SMTP client: one session, many messages, pipelining (RFC 2920) on request. Used
// where nodemailer would refuse the input (hostile messages), add overhead (benchmarks), or
// cannot misbehave on purpose (a sender trickling its message, connections held open).
import { createConnection } from 'node:net';

export interface RawMessage { from?: string; to: string; raw: Buffer }

export interface SmtpSession {
  /** The next final reply line ("250 ..."), or "421 connection lost" once the socket failed or closed. */
  reply(): Promise<string>;
  /** Every line of the next reply ("250-PIPELINING", ..., "250 SMTPUTF8"): EHLO lists capabilities there. */
  replyLines(): Promise<string[]>;
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
  let current: string[] = []; // lines of the reply being read, up to its final "ddd " line
  const replies: string[][] = [];
  const waiters: ((lines: string[]) => void)[] = [];
  const deliver = (lines: string[]) => {
    const w = waiters.shift();
    if (w) w(lines);
    else replies.push(lines);
  };
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    let nl;
    while ((nl = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      current.push(line);
      if (/^\d{3} /.test(line)) deliver(current.splice(0));
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => {
    gone = true;
    waiters.splice(0).forEach((w) => w(['421 connection lost']));
    resolve();
  }));
  socket.on('error', () => socket.destroy());
  const replyLines = () => {
    const lines = replies.shift();
    if (lines !== undefined) return Promise.resolve(lines);
    if (gone) return Promise.resolve(['421 connection lost']);
    return new Promise<string[]>((r) => waiters.push(r));
  };
  const reply = async () => (await replyLines()).at(-1)!;
  return {
    reply,
    replyLines,
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

export interface SendOptions {
  /**
   * RFC 2920, as Postfix's smtp client sends toward a server that advertises it: MAIL, RCPT and
   * DATA in one write, then their three replies in order; the body only after 354. Throws if the
   * server does not list PIPELINING in its EHLO reply (a silent fallback would hide that).
   */
  pipelining?: boolean;
  /** Called with the time the body was sent, for each message the server took (250). */
  onAccepted?: (index: number, at: number) => void;
  /** Awaited before each message (pacing). */
  before?: (index: number) => Promise<void>;
}

/** Sends every message on one connection; returns the final reply code per message. */
export async function sendAll(port: number, messages: RawMessage[], options: SendOptions = {}): Promise<number[]> {
  const { onAccepted, before } = options;
  const session = openSmtpSession(port);
  const { cmd, reply } = session;
  const greeting = await session.reply();
  if (!greeting.startsWith('220')) throw new Error(`no SMTP greeting: ${greeting}`);
  session.write('EHLO client.example\r\n');
  const ehlo = await session.replyLines();
  const pipelining = options.pipelining === true;
  if (pipelining && !ehlo.some((l) => /^250[- ]PIPELINING\b/i.test(l))) throw new Error(`no PIPELINING in the EHLO reply: ${ehlo.join(' | ')}`);
  const codes: number[] = [];
  for (const [i, m] of messages.entries()) {
    await before?.(i);
    const mailFrom = `MAIL FROM:<${m.from ?? 'client@example.com'}>\r\n`;
    const rcptTo = `RCPT TO:<${m.to}>\r\n`;
    let refusal: string | undefined; // the first reply of the envelope that was not 250
    let data: string;
    if (pipelining) {
      session.write(mailFrom + rcptTo + 'DATA\r\n');
      const mail = await reply();
      const rcpt = await reply();
      data = await reply();
      refusal = [mail, rcpt].find((r) => !r.startsWith('250'));
    } else {
      const mail = await cmd(mailFrom);
      const rcpt = mail.startsWith('250') ? await cmd(rcptTo) : mail;
      refusal = [mail, rcpt].find((r) => !r.startsWith('250'));
      data = refusal ?? (await cmd('DATA\r\n'));
    }
    if (refusal !== undefined || !data.startsWith('354')) {
      // Refused before the body (DATA then answers 503/554): the refusal's code, no body. A
      // server that still said 354 gets an empty message (RFC 2920 §3.1).
      if (data.startsWith('354')) await cmd('.\r\n');
      codes.push(Number((refusal ?? data).slice(0, 3)));
      await cmd('RSET\r\n');
      continue;
    }
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
