// Starts the doors on one set of dependencies: HTTP now; the mail doors register here too.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { buildDeps, type AppDeps } from './deps.js';
import { buildApp } from './http/build-app.js';
import { Authenticator } from './http/plugins/auth.js';
import { createWebPage } from './http/page/web-page.js';
import type { OutboxWorker } from './mail/outbound/outbox-worker.js';
import { startOutbox } from './mail/outbound/start-outbox.js';
import { createInboundProcessor, type InboundProcessor } from './mail/inbound/processor.js';
import { createMailReader, type MailReader } from './mail/inbound/mail-reader.js';
import { startSmtpListener, type SmtpListener, type StoredMessage } from './mail/inbound/smtp-listener.js';
import type { ImapPoller } from './mail/inbound/imap-poller.js';
import { createBounceKeys } from './security/bounce-keys.js';
import { startRetention, type RetentionReport } from './scheduler/retention.js';
import type { ScheduledJob } from './scheduler/scheduled-job.js';
import { startFollowUps, type FollowUpPass } from './scheduler/follow-ups.js';
import type { Repeating } from './scheduler/repeat.js';
import { followUp } from './domain/events/follow-up-event.js';

export interface RunningServer {
  app: FastifyInstance;
  appDeps: AppDeps;
  httpUrl: string;
  outbox: OutboxWorker | null;
  retention: ScheduledJob<RetentionReport>;
  /** Reminders, summaries and deadlines (SPEC §11); run() for a pass now. */
  followUps: Repeating<FollowUpPass>;
  inbound: InboundProcessor;
  /** Where inbound mail is parsed: parse threads (INBOUND_PARSE_THREADS) or the main thread. */
  mailReader: MailReader;
  smtp: SmtpListener | null;
  imap: ImapPoller | null;
  stop(): Promise<void>;
}

/** The HTTP app (API, page, /openapi) on `appDeps`, not listening: startServer listens, tests `inject`. */
export async function buildHttpApp(config: Config, appDeps: AppDeps): Promise<FastifyInstance> {
  const auth = new Authenticator(appDeps.deps, {
    cacheSeconds: config.AUTH_CACHE_SECONDS,
    maxFailures: config.AUTH_MAX_FAILURES,
    maxFailuresPerIp: config.AUTH_MAX_FAILURES_PER_IP,
    failureWindowSeconds: config.AUTH_FAILURE_WINDOW_SECONDS,
    retryDelaySeconds: config.AUTH_RETRY_DELAY,
    retryDelayMaxSeconds: config.AUTH_RETRY_DELAY_MAX,
    throttleMaxEntries: config.AUTH_THROTTLE_MAX_ENTRIES,
    credentialHash: appDeps.credentialHash,
  });
  const web = createWebPage({ deps: appDeps.deps, auth, publicUrl: config.PUBLIC_URL, secretKey: appDeps.secretKey });
  return buildApp(
    { deps: appDeps.deps, auth, publicUrl: config.PUBLIC_URL, page: web.page },
    { bodyLimit: config.BODY_LIMIT_BYTES, logLevel: config.LOG_LEVEL, trustProxy: config.TRUST_PROXY, extraRoutes: [web.routes] },
  );
}

/** How long stopping waits for messages being processed before it closes the parse threads. */
const INBOUND_STOP_GRACE_MS = 2_000;

export async function startServer(config: Config): Promise<RunningServer> {
  const appDeps = await buildDeps(config);
  const app = await buildHttpApp(config, appDeps);
  appDeps.stores.useLog(app.log);
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  const stoppers: (() => Promise<void>)[] = [() => app.close()];

  let outbox: OutboxWorker | null = null;
  if (config.OUTBOX_ENABLED) {
    outbox = await startOutbox(config, appDeps, app.log);
    const worker = outbox;
    stoppers.unshift(() => worker.stop());
  }

  const { stores } = appDeps;
  // On every instance: the job's claim in the database lets one run at a time.
  const retention = startRetention(config, stores, appDeps.deps.clock.now, app.log);
  stoppers.unshift(() => retention.stop());
  // On every instance too: each due event is taken by one of them (FollowUpQueue).
  const followUps = startFollowUps(stores.followUps, (id) => followUp(appDeps.deps, id), {
    intervalMs: config.REMINDER_INTERVAL, batchSize: config.REMINDER_BATCH_SIZE, claimMs: config.REMINDER_CLAIM,
  }, appDeps.deps.clock.now, app.log);
  stoppers.unshift(() => followUps.stop());

  const mailReader = await createMailReader(config.INBOUND_PARSE_THREADS, app.log, config.INBOUND_PARSE_TIMEOUT);
  const inbound = createInboundProcessor(appDeps.deps, stores.inbound, stores.outbox, {
    mailDomain: config.MAIL_DOMAIN,
    mailFrom: config.MAIL_FROM,
    helpPerHour: config.HELP_REPLIES_PER_HOUR,
    newLocal: config.MAIL_NEW_LOCAL,
    bounceRowOf: createBounceKeys(appDeps.secretKey, config.MAIL_DOMAIN).rowOf,
  }, { concurrency: config.INBOUND_CONCURRENCY, read: mailReader.read, log: app.log });
  // Messages being processed get a moment to finish; then the parse threads are closed, which
  // ends a read still running (its message stays 'received' for the next start), so a message
  // that holds its thread never holds the shutdown.
  stoppers.unshift(async () => {
    const stopped = inbound.stop();
    await Promise.race([stopped, new Promise((r) => setTimeout(r, INBOUND_STOP_GRACE_MS).unref())]);
    await mailReader.close();
    await stopped;
  });
  await inbound.recover();

  const storeInbound = async (m: StoredMessage, source: 'smtp' | 'imap') => {
    let stored;
    try {
      stored = await stores.inbound.accept({ ...m, source });
    } catch (e) {
      // It may be stored all the same (a WAL sync that failed after the commit): the stored
      // backlog is read again, so it is processed without waiting for a retry or a restart.
      void inbound.recover();
      throw e;
    }
    // Processed in the stored form (tokens as hashes), the same a restart reads back. A
    // duplicate is queued by its id: still 'received' (an earlier try stored it but was answered
    // with an error), it is read back and processed; processed already, it is skipped.
    if (stored.duplicate) inbound.enqueue(stored.id);
    else inbound.enqueue(stored.id, { raw: stored.raw, mailFrom: m.mailFrom, rcptTo: stored.rcptTo });
  };

  let smtp: SmtpListener | null = null;
  if (config.SMTP_ENABLED) {
    smtp = await startSmtpListener({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      maxBytes: config.SMTP_MAX_BYTES,
      mailDomain: config.MAIL_DOMAIN,
      newLocal: config.MAIL_NEW_LOCAL,
      maxClients: config.SMTP_MAX_CLIENTS,
      dataTimeoutMs: config.SMTP_DATA_TIMEOUT,
      ...(config.SMTP_TLS_KEY && config.SMTP_TLS_CERT && { tls: { key: config.SMTP_TLS_KEY, cert: config.SMTP_TLS_CERT } }),
      ...(config.SMTP_AUTH_USER && config.SMTP_AUTH_PASSWORD && { auth: { user: config.SMTP_AUTH_USER, password: config.SMTP_AUTH_PASSWORD } }),
      log: app.log,
    }, (m) => storeInbound(m, 'smtp'));
    const listener = smtp;
    stoppers.unshift(() => listener.stop());
    app.log.info(`SMTP listener on ${config.SMTP_HOST}:${smtp.port} for @${config.MAIL_DOMAIN}`);
  }

  let imap: ImapPoller | null = null;
  if (config.IMAP_URL) {
    // Loaded only when a mailbox is configured (imapflow and its dependencies: ~5 MB of RSS).
    const { startImapPoller } = await import('./mail/inbound/imap-poller.js');
    imap = startImapPoller({
      url: config.IMAP_URL, mailbox: config.IMAP_MAILBOX, processed: config.IMAP_PROCESSED,
      pollSeconds: config.IMAP_POLL_SECONDS, maxBytes: config.SMTP_MAX_BYTES, log: app.log,
    }, stores.mailbox, (m) => storeInbound(m, 'imap'), (skipped) => stores.inbound.recordSkipped({
      key: skipped.messageId ?? skipped.key, source: 'imap', mailFrom: skipped.from, reason: skipped.reason,
    }));
    const poller = imap;
    stoppers.unshift(() => poller.stop());
  }

  return {
    app,
    appDeps,
    outbox,
    retention,
    followUps,
    inbound,
    mailReader,
    smtp,
    imap,
    httpUrl: address,
    async stop() {
      for (const stop of stoppers) await stop();
      await appDeps.close();
    },
  };
}
