// Shared bits for the benchmarks: child processes, autocannon runs, result tables.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitForHttp(url: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not come up`);
}

export function startNode(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The app exactly as `npm start` runs it: compiled (npm run build), same node flags, same malloc arenas. */
export function startApp(env: Record<string, string>): ChildProcess {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' ');
  return spawn(process.execPath, [...flags, 'dist/main.js'], {
    env: { MALLOC_ARENA_MAX: '2', ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The REST app on a free port with mail off (no SMTP listener, no outbox worker), once it answers. */
export async function startRestApp(dbUrl: string, dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = startApp({
    DATABASE_URL: dbUrl, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', SMTP_ENABLED: 'false', OUTBOX_ENABLED: 'false',
    AUTH_MAX_FAILURES: '1000000',
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/openapi`);
  return { child, base };
}

/**
 * Waits until `url` answers within `quickMs` again. autocannon stops waiting at the end of a run,
 * but the server still finishes the answers in flight; that work must not slow the next run.
 */
export async function settle(url: string, quickMs = 50, maxMs = 300_000): Promise<void> {
  const end = Date.now() + maxMs;
  while (Date.now() < end) {
    const t0 = performance.now();
    await (await fetch(url)).arrayBuffer();
    if (performance.now() - t0 < quickMs) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} stayed slow for ${maxMs / 1000} s`);
}

/** Ends a child process and waits until it has exited; SIGKILL (and a warning) if SIGTERM is not enough within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`process ${child.pid} still running ${graceMs / 1000} s after SIGTERM: killed`);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** An API key for `Authorization: Token` from POST /api-token-auth/. */
export async function apiToken(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api-token-auth/`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** autocannon options sending each connection's requests with `bodies` in turn (a real change every time). */
export function alternatingBodies(bodies: string[]): Pick<autocannon.Options, 'body' | 'setupClient'> {
  let n = 0;
  return { body: bodies[0], setupClient: (c) => c.on('response', () => c.setBody(bodies[++n % bodies.length]!)) };
}

/** Peak RSS of a child process in MB, sampled from /proc while `during` runs. */
export async function peakRss<T>(pid: number, during: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  const sample = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch { /* exited */ }
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await during();
    sample();
    return { result, peakMb: Math.round(peak) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * CPU time used so far by a process's main thread and by all its threads, in ms (Linux /proc;
 * utime + stime in clock ticks of 10 ms). On a loaded machine the rate moves with the load; the
 * CPU a reply costs the main thread does much less.
 */
export function cpuMs(pid: number): { main: number; all: number } {
  const ticks = (statFile: string) => {
    // Fields after the parenthesized command name; utime and stime are the 14th and 15th of the line.
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { main: ticks(`/proc/${pid}/task/${pid}/stat`), all: ticks(`/proc/${pid}/stat`) };
}

/**
 * CPU time (all threads, from /proc) a child process spends per request while `during` runs
 * autocannon: unlike req/s, barely moved by other processes competing for the cores.
 */
export async function cpuPerRequest(pid: number, during: () => Promise<Row>): Promise<{ row: Row; cpuUs: number }> {
  const before = cpuMs(pid).all;
  const row = await during();
  return { row, cpuUs: Math.round(((cpuMs(pid).all - before) * 1000) / row.total) };
}

export interface Row { name: string; rps: number; total: number; p50: number; p99: number; errors: number; non2xx: number }

/**
 * One autocannon run. Percentiles come from each 2xx response's own time: autocannon's
 * histogram keeps whole milliseconds, too coarse to compare requests that take 1–3 ms.
 */
export async function cannon(name: string, opts: autocannon.Options): Promise<Row> {
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ connections: 32, duration: 5, ...opts }, (err, result) => (err ? reject(err) : resolve(result)))
      .on('response', (_client, status, _bytes, ms) => { if (status >= 200 && status < 300) times.push(ms); });
  });
  times.sort((a, b) => a - b);
  const at = (q: number) => (times.length ? Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2)) : NaN);
  return { name, rps: Math.round(r.requests.average), total: r.requests.total, p50: at(0.5), p99: at(0.99), errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

export function printTable(rows: Row[], baseline: Row): void {
  console.log(`\n${'scenario'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'vs bare'.padStart(8)} ${'errors'.padStart(7)}`);
  for (const r of rows) {
    const ratio = (r.rps / baseline.rps).toFixed(2);
    console.log(`${r.name.padEnd(34)} ${String(r.rps).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${ratio.padStart(8)} ${String(r.errors + r.non2xx).padStart(7)}`);
  }
}
