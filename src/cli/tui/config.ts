// Where the TUI connects and as whom: flags first, then CALNDRO_* variables, then defaults.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT_USAGE } from '../errors.js';

export interface TuiConfig {
  baseUrl: string;
  user?: string;
  /** Only from CALNDRO_PASSWORD (for scripts); never a flag, which `ps` would show. */
  password?: string;
  /** Where API keys are saved between runs (CALNDRO_TUI_CONFIG, else the XDG config dir). */
  keyFile: string;
}

export interface TuiFlags {
  url?: string;
  host?: string;
  port?: string;
  user?: string;
}

export function tuiConfig(flags: TuiFlags, env: Record<string, string | undefined>): TuiConfig {
  const e = (key: string) => (env[key] ? env[key] : undefined);
  let raw: string;
  if (flags.url) raw = flags.url;
  else if (flags.host || flags.port || !e('CALNDRO_URL')) {
    const host = flags.host ?? e('CALNDRO_HOST') ?? '127.0.0.1';
    const port = flags.port ?? e('CALNDRO_PORT') ?? '8000';
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new CliError(`Bad port "${port}".`, EXIT_USAGE);
    raw = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  } else raw = e('CALNDRO_URL')!;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`Bad server URL "${raw}".`, EXIT_USAGE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`Bad server URL "${raw}": use http(s)://.`, EXIT_USAGE);
  // A trailing slash makes relative paths ("5/log/") keep a prefix such as /calndro/.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const keyFile = e('CALNDRO_TUI_CONFIG') ?? join(e('XDG_CONFIG_HOME') ?? join(e('HOME') ?? homedir(), '.config'), 'calndro', 'tui.json');
  return { baseUrl: url.toString(), user: flags.user ?? e('CALNDRO_USER'), password: e('CALNDRO_PASSWORD'), keyFile };
}
