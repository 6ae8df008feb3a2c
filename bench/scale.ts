// npm run bench:scale — SPEC §9 "cost flat as data grows": the same requests against a big
// database (100,000 events, 1,000,000 log entries, one hot event with 90,000 of them) and a
// fresh one, measured in one run with autocannon (16 connections, warm-up, then 5 s each),
// on SQLite and, when BENCH_POSTGRES_URL names a server, on PostgreSQL too (scratch databases
// calndro_bench_scale_* are made and dropped there). BENCH_EVENTS and BENCH_LOG_ENTRIES shrink
// the big database for a quick run. Exits 0 whatever the figures: it is a measurement.
//
// The fresh database holds just over one page of each request (120 events, all with the bench's
// party user; a hot event with 150 entries), so both runs return equal bodies and the ratio
// shows the cost of the data around the page, not of a bigger page. Beside the latencies, the
// server's CPU time per request (all threads, from /proc): on a machine shared with other work
// the latencies move with the load, the CPU a request costs much less.
//
// The seed spans a year, so most of its tokens and sent mail are past retention. A server that
// ran all that year would have purged them; one started on the seed would spend its first minute
// purging ~220,000 rows of the big database in batches (each blocking SQLite's driver, and so
// the event loop, for tens of ms) while the first requests are measured, and almost nothing on
// the fresh one. So retention runs to its end on both before the server starts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { addUser } from '../src/domain/users.js';
import { scratchPostgres } from '../test/helpers/database.js';
import { bulkLoad } from './bulk-load.js';
import { alternatingBodies, apiToken, cannon, cpuPerRequest, peakRss, settle, startRestApp, stopChild, tempDir, type Row } from './lib.js';
import { scaleData, type ScaleData, type ScaleShape } from './scale-data.js';
import { catchUpRetention, openBenchDeps } from './seed.js';
import type autocannon from 'autocannon';

const LOG_ENTRIES = Number(process.env.BENCH_LOG_ENTRIES ?? 1_000_000);
const BIG: ScaleShape = { events: Number(process.env.BENCH_EVENTS ?? 100_000), logEntries: LOG_ENTRIES, hotLogEntries: Math.round(LOG_ENTRIES * 0.09) };
const FRESH: ScaleShape = { events: 120, logEntries: 600, hotLogEntries: 150 };
const PAGE = 100;
const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
const MAX_RATIO = 2;
const MAX_RSS_MB = 200;
const STAFF = 'staff@example.com';
const PARTY = 'party@example.com';
const PASSWORD = 'bench password 1';

type Kind = 'SQLite' | 'PostgreSQL';
interface BenchDb { url: string; dir: string; data: ScaleData; drop(): Promise<void> }
interface Request { name: string; path: string; headers: Record<string, string>; write?: Partial<autocannon.Options> }
interface Measured { rows: (Row & { cpuUs: number })[]; peakMb: number }
type App = Awaited<ReturnType<typeof startRestApp>>;

/** A migrated database with the bench's users (made by the domain, with passwords), then `shape`'s rows loaded directly. */
async function seed(kind: Kind, label: string, shape: ScaleShape): Promise<BenchDb> {
  const dir = tempDir(`calndro-bench-scale-${label}-`);
  const db = kind === 'SQLite'
    ? { url: `file:${join(dir, 'scale.db')}`, drop: async () => {} }
    : await scratchPostgres(process.env.BENCH_POSTGRES_URL!, `calndro_bench_scale_${label}`);
  const d = await openBenchDeps(db.url, dir);
  await addUser(d.deps, { email: STAFF, password: PASSWORD, staff: true });
  const party = await addUser(d.deps, { email: PARTY, password: PASSWORD });
  await d.close();
  const data = scaleData(shape, { party: { id: party.id, email: party.email }, nextUserId: party.id + 1 }, new Date());
  const t0 = performance.now();
  const rows = await bulkLoad(db.url, data.tables);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${kind} ${label}: seeded ${shape.events.toLocaleString('en')} events, ${shape.logEntries.toLocaleString('en')} log entries `
    + `(hot event ${data.hotId}: ${shape.hotLogEntries.toLocaleString('en')}; party user in ${data.partyEvents.toLocaleString('en')} events): ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s`);
  const t1 = performance.now();
  const purged = await catchUpRetention(db.url, dir);
  console.log(`${kind} ${label}: retention caught up before the server starts: ${purged.eventTokens.rows.toLocaleString('en')} expired tokens, `
    + `${purged.drafts.rows.toLocaleString('en')} expired drafts, ${purged.outbox.rows.toLocaleString('en')} sent outbox rows purged in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  return { url: db.url, dir, data, drop: async () => { await db.drop(); rmSync(dir, { recursive: true, force: true }); } };
}

function requests(data: ScaleData, staff: Record<string, string>, party: Record<string, string>): Request[] {
  return [
    { name: `list GET /?limit=${PAGE} (staff)`, path: `/?limit=${PAGE}`, headers: staff },
    { name: `list GET /?limit=${PAGE} (party user)`, path: `/?limit=${PAGE}`, headers: party },
    // Before the detail GETs, each of which adds a VIEW to the hot event's log.
    { name: `log GET /{hot}/log/?limit=${PAGE}`, path: `/${data.hotId}/log/?limit=${PAGE}`, headers: staff },
    { name: 'detail GET /{hot}/', path: `/${data.hotId}/`, headers: staff },
    { name: 'PATCH /{id}/ (title)', path: `/${data.patchId}/`, headers: { ...staff, 'content-type': 'application/json' }, write: {
      method: 'PATCH', ...alternatingBodies([JSON.stringify({ title: 'Scale bench A' }), JSON.stringify({ title: 'Scale bench B' })]),
    } },
  ];
}

/** One GET's answer in a few words: how many items came back and whether a next page is linked. */
async function describe(base: string, r: Request): Promise<string> {
  const res = await fetch(`${base}${r.path}`, { headers: r.headers });
  const text = await res.text();
  const body = res.ok ? (JSON.parse(text) as unknown) : null;
  const items = Array.isArray(body) ? `${body.length} events` : body && typeof body === 'object' && 'entries' in body
    ? `${(body.entries as unknown[]).length} entries` : 'one event';
  const next = /rel="next"/.test(res.headers.get('link') ?? '') ? 'Link rel=next' : 'no Link';
  return `${r.name}: ${res.status}, ${items}, ${Math.round(text.length / 1024)} KB, ${next}`;
}

/** Warm-up, then (once the server has caught up) the measured run. */
async function run(app: App, r: Request): Promise<Row & { cpuUs: number }> {
  const opts = { ...r.write, url: `${app.base}${r.path}`, headers: r.headers, connections: CONNECTIONS, timeout: 30 };
  await cannon('warm-up', { ...opts, duration: WARMUP_SECONDS });
  await settle(`${app.base}/`);
  const { row, cpuUs } = await cpuPerRequest(app.child.pid!, () => cannon(r.name, { ...opts, duration: SECONDS }));
  await settle(`${app.base}/`);
  return { ...row, cpuUs };
}

/** Whether the server still answers (a process dying of an out-of-memory error may linger for a while). */
async function answers(app: App): Promise<boolean> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return false;
  try {
    await (await fetch(`${app.base}/`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Every request against one server. A server that dies (out of memory on an unbounded answer)
 * is reported and started again for the next request; its peak RSS still counts.
 */
async function measure(kind: Kind, label: string, db: BenchDb): Promise<Measured> {
  let app = await startRestApp(db.url, db.dir);
  const say = (line: string) => console.log(`  ${kind} ${label}: ${line}`);
  const rows: Measured['rows'] = [];
  let peak = 0;
  try {
    const staff = { authorization: `Token ${await apiToken(app.base, STAFF, PASSWORD)}` };
    const party = { authorization: `Token ${await apiToken(app.base, PARTY, PASSWORD)}` };
    for (const r of requests(db.data, staff, party)) {
      if (!(await answers(app))) {
        await stopChild(app.child);
        say(`server died (exit code ${app.child.exitCode}, signal ${app.child.signalCode}); starting it again`);
        app = await startRestApp(db.url, db.dir);
      }
      const current = app;
      const { result, peakMb } = await peakRss(app.child.pid!, async () => {
        try {
          if (!r.write) say(await describe(current.base, r));
          return await run(current, r);
        } catch (e) {
          say(`${r.name} failed: ${(e as Error).message}`);
          return { name: r.name, rps: 0, total: 0, p50: NaN, p99: NaN, errors: 1, non2xx: 0, cpuUs: NaN };
        }
      });
      peak = Math.max(peak, peakMb);
      rows.push(result);
      say(`${r.name}: ${result.rps} req/s, ${result.errors + result.non2xx} errors`);
    }
    return { rows, peakMb: peak };
  } finally {
    await stopChild(app.child);
  }
}

function printComparison(kind: Kind, fresh: Measured, big: Measured): void {
  // No 2xx answer: the server died, or every request took longer than the run itself.
  const ms = (r: Row) => (!Number.isNaN(r.p99) ? `${r.p50.toFixed(2)} / ${r.p99.toFixed(2)}` : r.errors ? 'failed' : `none in ${SECONDS} s`);
  const col = (s: string | number, w: number) => String(s).padStart(w);
  console.log(`\n${kind}, ${CONNECTIONS} connections, ${SECONDS} s each`);
  console.log(`${'request'.padEnd(34)}${col('fresh p50/p99 ms', 19)}${col('big p50/p99 ms', 21)}${col('req/s fresh/big', 17)}`
    + `${col('CPU µs/req fresh/big', 22)}${col('errors', 8)}${col('p99 big/fresh', 15)}  target ≤ ${MAX_RATIO}`);
  fresh.rows.forEach((f, i) => {
    const b = big.rows[i]!;
    const ratio = b.p99 / f.p99;
    console.log(`${f.name.padEnd(34)}${col(ms(f), 19)}${col(ms(b), 21)}${col(`${f.rps} / ${b.rps}`, 17)}${col(`${f.cpuUs} / ${b.cpuUs}`, 22)}`
      + `${col(f.errors + f.non2xx + b.errors + b.non2xx, 8)}${col(Number.isNaN(ratio) ? '—' : ratio.toFixed(2), 15)}  ${ratio <= MAX_RATIO ? 'PASS' : 'FAIL'}`);
  });
  console.log(`peak RSS of the server: fresh ${fresh.peakMb} MB, big ${big.peakMb} MB; target big < ${MAX_RSS_MB} MB  ${big.peakMb < MAX_RSS_MB ? 'PASS' : 'FAIL'}`);
}

const kinds: Kind[] = process.env.BENCH_POSTGRES_URL ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
for (const kind of kinds) {
  const fresh = await seed(kind, 'fresh', FRESH);
  const big = await seed(kind, 'big', BIG);
  try {
    const freshRun = await measure(kind, 'fresh', fresh);
    const bigRun = await measure(kind, 'big', big);
    printComparison(kind, freshRun, bigRun);
  } finally {
    await fresh.drop();
    await big.drop();
  }
}
