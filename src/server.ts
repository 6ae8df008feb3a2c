// Starts the doors on one set of dependencies: HTTP now; the mail doors register here too.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { buildDeps, type AppDeps } from './deps.js';
import { buildApp } from './http/build-app.js';
import { Authenticator } from './http/plugins/auth.js';

export interface RunningServer {
  app: FastifyInstance;
  appDeps: AppDeps;
  httpUrl: string;
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
  return {
    app,
    appDeps,
    httpUrl: address,
    async stop() {
      for (const stop of stoppers) await stop();
      await appDeps.close();
    },
  };
}
