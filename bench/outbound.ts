// npm run bench:outbound — notifications per second from the outbox into Postfix's smtp-sink
// (SPEC §9: >= 1,000/s), for 1,000 and 10,000 queued rows, with the app's peak RSS. For scale,
// smtp-source → smtp-sink (Postfix's own client) is measured in the same run.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startSmtpSink, runSmtpSource } from '../test/helpers/smtp-sink.js';
import { freePort, peakRss, startApp, tempDir } from './lib.js';
import { openBenchDeps, seedNotified } from './seed.js';

async function run(rows: number): Promise<{ rows: number; seconds: number; perSecond: number; peakMb: number; sinkCount: number }> {
  const dir = tempDir('calndro-bench-out-');
  const dbUrl = `file:${join(dir, 'bench.db')}`;
  const d = await openBenchDeps(dbUrl, dir);
  await seedNotified(d, rows / 100, 100, 3);
  await d.close();
  const sink = await startSmtpSink();
  const db = new BetterSqlite3(join(dir, 'bench.db'), { readonly: true });
  const pending = db.prepare(`SELECT count(*) AS n FROM "OutboxMessage" WHERE status != 'sent'`);
  // The default outbox settings, as `npm start` runs; BENCH_OUTBOX_* override them for experiments.
  const app = startApp({
    DATABASE_URL: dbUrl, DATA_DIR: dir, PORT: String(await freePort()), LOG_LEVEL: 'warn', SMTP_ENABLED: 'false', MAIL_DOMAIN: 'calndro.test',
    OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    ...(process.env.BENCH_OUTBOX_CONCURRENCY && { OUTBOX_CONCURRENCY: process.env.BENCH_OUTBOX_CONCURRENCY }),
    ...(process.env.BENCH_OUTBOX_THREADS && { OUTBOX_THREADS: process.env.BENCH_OUTBOX_THREADS }),
  });
  let t0 = 0;
  const { peakMb } = await peakRss(app.pid!, async () => {
    // The clock starts at the first delivery: process start-up is not throughput.
    while (sink.received() === 0) await new Promise((r) => setTimeout(r, 5));
    t0 = performance.now();
    while ((pending.get() as { n: number }).n > 0) await new Promise((r) => setTimeout(r, 20));
    return null;
  });
  const seconds = (performance.now() - t0) / 1000;
  app.kill('SIGTERM');
  db.close();
  const sinkCount = sink.received();
  await sink.stop();
  return { rows, seconds, perSecond: Math.round(rows / seconds), peakMb, sinkCount };
}

const sink = await startSmtpSink();
const source = await runSmtpSource({ port: sink.port, messages: 5000, sessions: 16, size: 5000 });
await sink.stop();
const sourceRate = Math.round(source.messages / (source.ms / 1000));
console.log(`smtp-source → smtp-sink: ${sourceRate} msg/s (5,000 messages of 5 kB, 16 parallel sessions)`);

for (const rows of [1_000, 10_000]) {
  const r = await run(rows);
  console.log(`outbox → smtp-sink: ${r.rows} rows in ${r.seconds.toFixed(2)} s = ${r.perSecond} notifications/s ` +
    `(${(r.perSecond / sourceRate).toFixed(2)} of smtp-source's rate), peak RSS ${r.peakMb} MB, sink counted ${r.sinkCount}`);
}
process.exit(0);
