// npm run bench:api — REST throughput on SQLite (SPEC §9) against a bare Fastify route, both
// measured here in one run with autocannon (32 connections, 5 s each). The servers run in
// their own processes; autocannon runs in this one.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parseConfig } from '../src/config/index.js';
import { buildDeps } from '../src/deps.js';
import { addUser } from '../src/domain/users.js';
import { createEvent } from '../src/domain/events/create-event.js';
import { notifyParties } from '../src/domain/events/notify-parties.js';
import { alternatingBodies, apiToken, cannon, cpuPerRequest, freePort, peakRss, printTable, startNode, startRestApp, tempDir, waitForHttp, type Row } from './lib.js';

const dir = tempDir('calndro-bench-api-');
const dbUrl = `file:${join(dir, 'bench.db')}`;
const OWNER = 'owner@example.com';
const PASSWORD = 'bench password 1';

// Seed: an owner, 200 events with 3 parties and 5 slots each.
const config = parseConfig({ DATABASE_URL: dbUrl, DATA_DIR: dir, LOG_LEVEL: 'silent' });
const seeded = await buildDeps(config);
const owner = await addUser(seeded.deps, { email: OWNER, password: PASSWORD });
const ctx = { actor: { kind: 'user' as const, user: owner }, via: 'cli' as const };
const slots = Array.from({ length: 5 }, (_, i) => ({ begin: `2031-03-1${i}T14:00:00Z`, duration: '01:00' }));
let firstId = 0;
for (let i = 0; i < 200; i++) {
  const e = await createEvent(seeded.deps, ctx, { title: `Event ${i}`, parties: ['alice@example.com', 'bob@example.com', 'carol@example.com'], slots });
  firstId ||= e.id;
}
await notifyParties(seeded.deps, ctx, firstId, { parties: ['alice@example.com'], slots });
await seeded.close();

const barePort = await freePort();
const { child: server, base } = await startRestApp(dbUrl, dir);
const bare = startNode('bench/bare-server.ts', { PORT: String(barePort) });
await waitForHttp(`http://127.0.0.1:${barePort}/bare`);

const token = await apiToken(base, OWNER, PASSWORD);
const tokenAuth = { authorization: `Token ${token}` };
const basicAuth = { authorization: `Basic ${Buffer.from(`${OWNER}:${PASSWORD}`).toString('base64')}` };
const json = { 'content-type': 'application/json' };

const rows: Row[] = [];
// Compared at the end: a log page against a detail GET (the target: within 2×).
let detail!: { row: Row; cpuUs: number };
let logPage!: { row: Row; cpuUs: number };
const { result: baseline } = await peakRss(bare.pid!, () => cannon('bare Fastify route', { url: `http://127.0.0.1:${barePort}/bare` }));
rows.push(baseline);
const { peakMb } = await peakRss(server.pid!, async () => {
  detail = await cpuPerRequest(server.pid!, () => cannon('detail GET /{id}/ (Token)', { url: `${base}/${firstId + 1}/`, headers: tokenAuth }));
  rows.push(detail.row);
  rows.push(await cannon('detail GET /{id}/ (Basic)', { url: `${base}/${firstId + 1}/`, headers: basicAuth }));
  // Every detail GET above logged a VIEW: the event's log is long now; a page reads 100 of it.
  logPage = await cpuPerRequest(server.pid!, () => cannon('log page GET /{id}/log/ (Token)', { url: `${base}/${firstId + 1}/log/`, headers: tokenAuth }));
  rows.push(logPage.row);
  rows.push(await cannon('list page GET / (Token, 100 of 200)', { url: `${base}/`, headers: tokenAuth }));
  rows.push(await cannon('PATCH /{id}/ (Token)', {
    url: `${base}/${firstId + 2}/`, method: 'PATCH', headers: { ...tokenAuth, ...json },
    ...alternatingBodies([JSON.stringify({ slots: slots.slice(0, 4) }), JSON.stringify({ slots })]),
  }));
  rows.push(await cannon('create POST / (Token)', {
    url: `${base}/`, method: 'POST', headers: { ...tokenAuth, ...json },
    body: JSON.stringify({ title: 'Bench', parties: ['alice@example.com', 'bob@example.com'], slots: slots.slice(0, 3) }),
  }));
  return null;
});
printTable(rows, baseline);
const logged = new BetterSqlite3(join(dir, 'bench.db'), { readonly: true });
const { n } = logged.prepare('SELECT count(*) AS n FROM "LogEntry" WHERE eventId = ?').get(firstId + 1) as { n: number };
logged.close();
console.log(`\nlog page (100 entries of the ${n} the detail GETs logged) vs detail GET (Token), target within 2×:`
  + `\n  req/s ${logPage.row.rps} vs ${detail.row.rps}: ${(detail.row.rps / logPage.row.rps).toFixed(2)}×`
  + `\n  server CPU per request ${logPage.cpuUs} µs vs ${detail.cpuUs} µs: ${(logPage.cpuUs / detail.cpuUs).toFixed(2)}×`);
console.log(`peak RSS of the API process: ${peakMb} MB`);
server.kill('SIGTERM');
bare.kill('SIGTERM');
