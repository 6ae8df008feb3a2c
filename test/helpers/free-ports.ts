import net from 'node:net';

/**
 * Ask the kernel for a free loopback port (bind to :0, read it, close).
 * There is a small race between close and the peer's own bind; helpers that
 * spawn external peers (dovecot, smtp-sink) retry with a new port when that happens.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('freePort: unexpected server address'));
        return;
      }
      srv.close((err) => (err ? reject(err) : resolve(addr.port)));
    });
  });
}

/** Resolve once something accepts TCP connections on 127.0.0.1:port (or reject at the deadline). */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Resolve once 127.0.0.1:port refuses connections (peer really gone, port reusable). */
export async function waitForPortClosed(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await canConnect(port))) return;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} still accepts after ${timeoutMs} ms`);
    await sleep(50);
  }
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Connect and read until a line matches `ready` (e.g. an IMAP or SMTP greeting).
 * Used instead of a bare connect because dovecot accepts before its auth process is up
 * (first line is "* OK Waiting for authentication process to respond..").
 */
export function readGreeting(port: number, ready: RegExp, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const s = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => finish(new Error(`no greeting matching ${ready} on :${port}: ${JSON.stringify(buf)}`)), timeoutMs);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      s.destroy();
      if (err) reject(err);
      else resolve(buf);
    };
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      if (buf.split(/\r?\n/).some((l) => ready.test(l))) finish();
    });
    s.once('error', (e) => finish(e));
    s.once('close', () => finish(new Error(`connection closed before greeting on :${port}: ${JSON.stringify(buf)}`)));
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
