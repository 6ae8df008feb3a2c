// npm run bench:api — REST throughput on SQLite (SPEC §9) against a bare Fastify route, both
// measured here in one run with autocannon (32 connections, 5 s each). The servers run in
// their own processes; autocannon runs in this one.
import { join } from 'node:path';
import { parseConfig } from '../src/config/index.js';
import { buildDeps } from '../src/deps.js';
import { addUser } from '../src/domain/users.js';
import { createEvent } from '../src/domain/events/create-event.js';
import { notifyParties } from '../src/domain/events/notify-parties.js';
import { alternatingBodies, apiToken, cannon, freePort, peakRss, printTable, startNode, startRestApp, tempDir, waitForHttp, type Row } from './lib.js';

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
const { result: baseline } = await peakRss(bare.pid!, () => cannon('bare Fastify route', { url: `http://127.0.0.1:${barePort}/bare` }));
rows.push(baseline);
const { peakMb } = await peakRss(server.pid!, async () => {
  rows.push(await cannon('detail GET /{id}/ (Token)', { url: `${base}/${firstId + 1}/`, headers: tokenAuth }));
  rows.push(await cannon('detail GET /{id}/ (Basic)', { url: `${base}/${firstId + 1}/`, headers: basicAuth }));
  rows.push(await cannon('list GET / (Token, 200 events)', { url: `${base}/`, headers: tokenAuth }));
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
console.log(`\npeak RSS of the API process: ${peakMb} MB`);
server.kill('SIGTERM');
bare.kill('SIGTERM');
