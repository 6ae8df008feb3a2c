// Opens the same configuration and database the server uses (.env, DATABASE_URL, DATA_DIR),
// runs one command against it, and always closes the database afterwards.
import { ConfigError, parseConfig, type Config } from '../config/index.js';
import { buildDeps, type AppDeps } from '../deps.js';
import { CliError, EXIT_USAGE } from './errors.js';

export function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
}

export async function withAppDeps<T>(run: (appDeps: AppDeps, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const appDeps = await buildDeps(config);
  try {
    return await run(appDeps, config);
  } finally {
    await appDeps.close();
  }
}
