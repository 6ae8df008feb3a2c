// Shared bits for the benchmarks: child processes, autocannon runs, result tables.
import { spawn, type ChildProcess } from 'node:child_process';
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

/** The app exactly as `npm start` runs it: compiled (npm run build), same node flags. */
export function startApp(env: Record<string, string>): ChildProcess {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' ');
  return spawn(process.execPath, [...flags, 'dist/main.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
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

export async function cannon(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections: 32, duration: 5, ...opts });
  return { name, rps: Math.round(r.requests.average), total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

export function printTable(rows: Row[], baseline: Row): void {
  console.log(`\n${'scenario'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'vs bare'.padStart(8)} ${'errors'.padStart(7)}`);
  for (const r of rows) {
    const ratio = (r.rps / baseline.rps).toFixed(2);
    console.log(`${r.name.padEnd(34)} ${String(r.rps).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${ratio.padStart(8)} ${String(r.errors + r.non2xx).padStart(7)}`);
  }
}
