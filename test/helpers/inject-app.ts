// The real HTTP app (every route, the real domain) on a real SQLite file or PostgreSQL
// database, answered in process by Fastify's `inject`: no socket, so a suite runs in seconds.
// The real-server suites (test/integration) still cover what only a socket shows.
import type { FastifyInstance } from 'fastify';
import { buildDeps, type AppDeps } from '../../src/deps.js';
import type { Clock } from '../../src/domain/ports.js';
import { buildHttpApp } from '../../src/server.js';
import { addUser } from '../../src/domain/users.js';
import { createTestDatabase } from './database.js';
import { testConfig } from './server.js';
import type { Config } from '../../src/config/index.js';
import { parseBody, prepareRequest, type ApiResponse, type RequestOptions } from './api.js';

export interface InjectApp {
  server: { app: FastifyInstance; appDeps: AppDeps };
  config: Config;
  /** PUBLIC_URL: links in bodies start with it (nothing listens there). */
  url: string;
  api<T = any>(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  addUser(email: string, password: string, staff?: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function buildInjectApp(env: Record<string, string> = {}, clock?: Clock): Promise<InjectApp> {
  const db = await createTestDatabase();
  const config = testConfig(db, 8000, env);
  const appDeps = await buildDeps(config, clock && { clock });
  const app = await buildHttpApp(config, appDeps);
  await app.ready();
  return {
    server: { app, appDeps },
    config,
    url: config.PUBLIC_URL,
    async api(method, path, opts = {}) {
      const { path: url, headers, payload } = prepareRequest(path, opts);
      const res = await app.inject({ method: method as 'GET', url, headers, ...(payload && { payload }) });
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      return { status: res.statusCode, headers: h, body: parseBody(res.body) as never };
    },
    addUser: async (email, password, staff = false) => {
      await addUser(appDeps.deps, { email, password, staff });
    },
    async stop() {
      await app.close();
      await appDeps.close();
      await db.drop();
    },
  };
}
