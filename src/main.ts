// Process entry: config → server → graceful shutdown on SIGINT/SIGTERM.
import 'dotenv/config';
import { parseConfig, ConfigError } from './config/index.js';
import { startServer } from './server.js';

/** The longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 30_000;

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(config);
  server.app.log.info(`calndro API on ${server.httpUrl} (public URL ${config.PUBLIC_URL}), database ${server.appDeps.stores.database.provider}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: shutting down`);
    // Each part of stop() is bounded; should one still hang, the process does not.
    setTimeout(() => {
      server.app.log.error(`shutdown still running after ${SHUTDOWN_LIMIT_MS / 1000} s: exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
