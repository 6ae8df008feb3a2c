// Starts the doors on one set of dependencies: HTTP now; the mail doors register here too.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { buildDeps, type AppDeps } from './deps.js';
import { buildApp } from './http/build-app.js';
import { Authenticator } from './http/plugins/auth.js';
import { createSmtpTransport } from './mail/outbound/transport.js';
import { startOutboxWorker, type OutboxWorker } from './mail/outbound/outbox-worker.js';

export interface RunningServer {
  app: FastifyInstance;
  appDeps: AppDeps;
  httpUrl: string;
  outbox: OutboxWorker | null;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const appDeps = await buildDeps(config);
  const auth = new Authenticator(appDeps.deps, {
    cacheSeconds: config.AUTH_CACHE_SECONDS,
    maxFailures: config.AUTH_MAX_FAILURES,
    maxFailuresPerIp: config.AUTH_MAX_FAILURES_PER_IP,
    failureWindowSeconds: config.AUTH_FAILURE_WINDOW_SECONDS,
    credentialHash: appDeps.credentialHash,
  });
  const app = await buildApp(
    { deps: appDeps.deps, auth, publicUrl: config.PUBLIC_URL },
    { bodyLimit: config.BODY_LIMIT_BYTES, logLevel: config.LOG_LEVEL },
  );
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  const stoppers: (() => Promise<void>)[] = [() => app.close()];

  let outbox: OutboxWorker | null = null;
  if (config.OUTBOX_ENABLED) {
    outbox = startOutboxWorker(
      appDeps.stores.outbox,
      createSmtpTransport(config.SMTP_URL, config.OUTBOX_CONCURRENCY),
      { publicUrl: config.PUBLIC_URL, mailDomain: config.MAIL_DOMAIN, mailFrom: config.MAIL_FROM,
        mailFromName: config.MAIL_FROM_NAME, openSealed: appDeps.openSealed },
      { batchSize: config.OUTBOX_BATCH_SIZE, concurrency: config.OUTBOX_CONCURRENCY, maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
        backoffMs: config.OUTBOX_BACKOFF_MS, pollMs: config.OUTBOX_POLL_MS, log: app.log },
    );
    const worker = outbox;
    appDeps.stores.onOutbox.listener = () => worker.kick();
    stoppers.unshift(() => worker.stop());
  }
  return {
    app,
    appDeps,
    outbox,
    httpUrl: address,
    async stop() {
      for (const stop of stoppers) await stop();
      await appDeps.close();
    },
  };
}
