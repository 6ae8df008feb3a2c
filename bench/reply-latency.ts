// npm run bench:latency — SPEC §9: reply → next notification p99 < 1 s, with RSS < 200 MB, the
// SMTP door and the outbox both running as `npm start` runs them. Replies arrive at a steady
// rate (default 500/s, the SPEC's inbound floor) for a few seconds; each one changes an event
// with two parties, and the clock stops when the other party's notification reaches the SMTP
// server the outbox delivers to (a bare smtp-server here that only notes arrival times). Sent with
// SMTP PIPELINING (RFC 2920) as Postfix would; BENCH_PIPELINING=0 waits for each reply instead.
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { sendAll } from '../test/helpers/raw-smtp.js';
import { freePort, peakRss, startApp, tempDir } from './lib.js';
import { openBenchDeps, replyMessages, seedNotified } from './seed.js';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const REPLIES = RATE * SECONDS;
const CONNECTIONS = 8;
const PIPELINING = process.env.BENCH_PIPELINING !== '0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Where the outbox delivers: arrival times per recipient.
const arrivals = new Map<string, number[]>();
let delivered = 0;
const receiver = new SMTPServer({
  authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], disableReverseLookup: true, logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      const at = Date.now();
      for (const r of session.envelope.rcptTo) arrivals.set(r.address, [...(arrivals.get(r.address) ?? []), at]);
      delivered++;
      callback();
    });
  },
});
const receiverPort = await freePort();
await new Promise<void>((r) => receiver.listen(receiverPort, '127.0.0.1', () => r()));

// Events with two parties, both notified; party 0 of each answers, party 1 gets the notice.
const dir = tempDir('calndro-bench-lat-');
const dbUrl = `file:${join(dir, 'bench.db')}`;
const d = await openBenchDeps(dbUrl, dir);
await seedNotified(d, REPLIES, 2, 3);
const messages = await replyMessages(d, (recipient) => recipient.endsWith('-0@example.com'));
await d.close();

const smtpPort = await freePort();
const app = startApp({
  DATABASE_URL: dbUrl, DATA_DIR: dir, PORT: String(await freePort()), LOG_LEVEL: 'warn', MAIL_DOMAIN: 'calndro.test',
  SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort), OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${receiverPort}`,
});
const { canConnect } = await import('../test/helpers/free-ports.js');
for (let i = 0; i < 300 && !(await canConnect(smtpPort)); i++) await sleep(100);
// The seeded invitations go out first; the measurement starts once they are all delivered.
while (delivered < 2 * REPLIES) await sleep(50);

const sentAt = new Map<string, number>();
const client0 = process.cpuUsage();
let client: NodeJS.CpuUsage | undefined;
const { peakMb } = await peakRss(app.pid!, async () => {
  const start = Date.now() + 100;
  const lanes = Array.from({ length: CONNECTIONS }, (_, lane) => messages.filter((_, i) => i % CONNECTIONS === lane));
  await Promise.all(lanes.map((lane, l) => sendAll(smtpPort, lane, {
    pipelining: PIPELINING,
    onAccepted: (i, at) => sentAt.set(lane[i]!.from!, at),
    before: async (i) => {
      const due = start + ((i * CONNECTIONS + l) * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
    },
  })));
  client = process.cpuUsage(client0);
  // Each reply brings the other party's notice and the replier's acknowledgment.
  const until = Date.now() + 60_000;
  while (delivered < 4 * REPLIES && Date.now() < until) await sleep(20);
});
const sendSeconds = (Math.max(...sentAt.values()) - Math.min(...sentAt.values())) / 1000;

const latencies: number[] = [];
for (const [replier, at] of sentAt) {
  const other = replier.replace(/-0@/, '-1@');
  const next = (arrivals.get(other) ?? []).find((t) => t >= at);
  if (next !== undefined) latencies.push(next - at);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
app.kill('SIGTERM');
receiver.close();

console.log(`${sentAt.size} replies at ${Math.round(sentAt.size / sendSeconds)}/s (target rate ${RATE}/s) over ${CONNECTIONS} SMTP sessions, outbox delivering meanwhile`);
console.log(`reply (DATA end) → the other party's notification delivered: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)} ms ` +
  `(${latencies.length} of ${sentAt.size} measured; SPEC §9: p99 < 1 s)`);
// This process while sending: the SMTP client and the smtp-server receiving the outbox's mail.
console.log(`load (${PIPELINING ? 'PIPELINING (RFC 2920)' : 'no pipelining (BENCH_PIPELINING=0)'}): this process's CPU while sending ` +
  `${((client!.user + client!.system) / 1000 / REPLIES).toFixed(2)} ms per reply (SMTP client + the receiver of the outbox's mail)`);
console.log(`peak RSS ${peakMb} MB (SPEC §9: < 200 MB)`);
process.exit(0);
