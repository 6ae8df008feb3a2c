// npm run bench:retention — one retention run over BENCH_ROWS old processed inbound messages
// (2 KB each), sent outbox rows and expired tokens, in batches of RETENTION_BATCH_SIZE, while
// short writes (log entries, what a reply's processing does) keep arriving. Reports rows/s per
// sweep, the latency of those writes during the run beside before it, and the event loop's delay.
// SQLite by default; BENCH_DATABASE_URL=postgresql://… for PostgreSQL.
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig } from '../src/config/index.js';
import { openStores } from '../src/db/index.js';
import { startRetention } from '../src/scheduler/retention.js';
import { tempDir } from './lib.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const BATCH = process.env.RETENTION_BATCH_SIZE ?? '500';
const DAY = 86_400_000;
const PERIOD_MS = 5;
const dir = tempDir('calndro-bench-ret-');
const url = process.env.BENCH_DATABASE_URL ?? `file:${join(dir, 'bench.db')}`;
const config = parseConfig({ DATABASE_URL: url, DATA_DIR: dir, RETENTION_BATCH_SIZE: BATCH });
const stores = await openStores(url, { mailDomain: 'calndro.test' });
const { db } = stores.database;

// Everything written 40 days ago (past the 30-day defaults); tokens expired 35 days ago.
const old = new Date(Date.now() - 40 * DAY);
const raw = new Uint8Array(Buffer.alloc(2048, 'x'));
const seedStart = Date.now();
for (let i = 0; i < ROWS; i += 1000) {
  const ids = Array.from({ length: Math.min(1000, ROWS - i) }, (_, k) => i + k);
  await db.inboundMessage.createMany({ data: ids.map((n) => ({ dedupeKey: `<bench-${n}@example.com>`, source: 'smtp', mailFrom: 'a@example.com',
    rcptTo: 'new@calndro.test', raw, status: 'applied', createdAt: old, processedAt: old })) });
  await db.outboxMessage.createMany({ data: ids.map((n) => ({ eventId: 1, kind: 'proposal', recipient: 'a@example.com', messageId: `<out-${n}@calndro.test>`,
    tokenHash: `t${n}`, payload: '{}', status: 'sent', sentAt: old, createdAt: old })) });
  await db.eventToken.createMany({ data: ids.map((n) => ({ hash: `t${n}`, eventId: 1, email: 'a@example.com', expiresAt: new Date(old.getTime() + 5 * DAY) })) });
}
console.log(`seeded ${ROWS} inbound messages, outbox rows and tokens in ${((Date.now() - seedStart) / 1000).toFixed(1)} s (${stores.database.provider})`);

/**
 * A log entry (what a reply's processing writes) due every PERIOD_MS until `done`, as requests
 * arrive from their sockets: each one's time from when it was due to its commit, so time spent
 * waiting for a batch (the queue, or a blocked event loop) counts.
 */
async function writesUntil(done: () => boolean, min = 0): Promise<number[]> {
  const ms: number[] = [];
  const writes: Promise<void>[] = [];
  const start = performance.now();
  for (let k = 0; !done() || k < min; k++) {
    const due = start + k * PERIOD_MS;
    if (due > performance.now()) await sleep(due - performance.now());
    const from = Math.max(due, performance.now()); // a timer may fire a little early
    writes.push(stores.log.append(1, { occurrence: 'VIEW', effector: 'bench@example.com', slots: [], data: {} }).then(() => void ms.push(performance.now() - from)));
  }
  await Promise.all(writes);
  return ms;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!.toFixed(1);
const describe = (xs: number[]) => `${xs.length} writes, p50 ${pct(xs, 0.5)} ms, p99 ${pct(xs, 0.99)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

const quiet = await writesUntil(() => true, 400);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let running = true;
const job = startRetention(config, stores, () => new Date());
const t0 = performance.now();
const [report, during] = await Promise.all([job.runNow().finally(() => (running = false)), writesUntil(() => !running)]);
const seconds = (performance.now() - t0) / 1000;
loop.disable();
await job.stop();

console.log(`retention run: ${seconds.toFixed(2)} s, batch ${BATCH}`, report);
console.log(`  ${Math.round((3 * ROWS) / seconds)} rows/s over the three sweeps`);
console.log(`a write due every ${PERIOD_MS} ms, due → committed, before the run: ${describe(quiet)}`);
console.log(`the same during the run: ${describe(during)}`);
console.log(`event loop delay during the run: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
await stores.close();
