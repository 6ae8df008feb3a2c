// Starts the real server (HTTP on port 0, real database) for integration tests.
import { parseConfig, type Config } from '../../src/config/index.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { addUser } from '../../src/domain/users.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { freePort } from './free-ports.js';

export interface TestServer {
  url: string;
  config: Config;
  server: RunningServer;
  db: TestDatabase;
  addUser(email: string, password: string, staff?: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** `reuse`: run on an existing test database (a restart); stop() then leaves it in place. */
export async function startTestServer(env: Record<string, string> = {}, reuse?: TestDatabase): Promise<TestServer> {
  const db = reuse ?? (await createTestDatabase());
  const config = testConfig(db, await freePort(), env);
  const server = await startServer(config);
  const url = config.PUBLIC_URL;
  return {
    url,
    config,
    server,
    db,
    addUser: async (email, password, staff = false) => {
      await addUser(server.appDeps.deps, { email, password, staff });
    },
    async stop() {
      await server.stop();
      if (!reuse) await db.drop();
    },
  };
}

/** Settings of a test server on `db` at 127.0.0.1:`port`: quiet, no mail doors unless `env` says. */
export function testConfig(db: TestDatabase, port: number, env: Record<string, string> = {}): Config {
  return parseConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    LOG_LEVEL: 'silent',
    SMTP_ENABLED: 'false',
    OUTBOX_ENABLED: 'false',
    MAIL_DOMAIN: 'calndro.test',
    ...env,
  });
}

/** Environment for a server whose outbox delivers to a test mail catcher, retrying fast. */
export function mailEnv(catcherPort: number): Record<string, string> {
  return {
    OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcherPort}`,
    OUTBOX_BACKOFF_MS: '100', OUTBOX_POLL_MS: '50', OUTBOX_MAX_ATTEMPTS: '20',
  };
}
