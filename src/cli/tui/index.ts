// `calndro tui`: sign in to a running server, then read commands until q or end of input.
// The API key is saved (key-file.ts) and reused by the next run; a password is asked only
// when there is no saved key or the server refuses it (expired, revoked, password changed).
import { parseArgs } from 'node:util';
import { LineReader } from '../line-reader.js';
import { CliError } from '../errors.js';
import { ApiClient, ApiError } from './api.js';
import { runCommand, type Session } from './commands.js';
import { numberedSlots, printableLines } from './format.js';
import { tuiConfig, type TuiConfig } from './config.js';
import { forgetKey, savedKey, saveKey } from './key-file.js';

export const TUI_USAGE = `calndro tui [--url URL | --host H --port P] [--user EMAIL]
      (or CALNDRO_URL, CALNDRO_HOST, CALNDRO_PORT, CALNDRO_USER; CALNDRO_PASSWORD for scripts;
      the API key is kept in CALNDRO_TUI_CONFIG, default ~/.config/calndro/tui.json)`;

const MAX_LOGIN_ATTEMPTS = 3;

/** What the user sees for a failed command: the API's message, never a stack trace. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const current = (e.body as { slots?: unknown } | null)?.slots;
    // A stale notify (409) carries the current list: show it so the user can act on it.
    if (e.status === 409 && Array.isArray(current)) return `${printableLines(e.message)}\nCurrent slots:\n${numberedSlots(current)}`;
    return printableLines(e.message);
  }
  return `Error: ${e instanceof Error ? e.message : String(e)}`;
}

const sameUser = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const refused = (e: unknown) => e instanceof ApiError && e.status === 401;

/** Signs in with the saved key when it is still accepted, else with a password (saving the new key). */
async function connect(api: ApiClient, io: LineReader, config: TuiConfig): Promise<string> {
  const saved = savedKey(config.keyFile, config.baseUrl);
  if (saved && (!config.user || sameUser(config.user, saved.user))) {
    try {
      return await api.useKey(saved.key);
    } catch (e) {
      if (!refused(e)) throw new CliError(`Sign-in failed: ${errorText(e)}`);
      console.log('The saved API key was refused (expired or revoked); sign in again.');
    }
  }
  const { email, key } = await signIn(api, io, config.user ?? saved?.user, config.password);
  try {
    saveKey(config.keyFile, config.baseUrl, { user: email, key });
  } catch (e) {
    console.log(`Could not save the API key in ${config.keyFile}: ${(e as Error).message}`);
  }
  return email;
}

async function signIn(api: ApiClient, io: LineReader, user: string | undefined, envPassword: string | undefined): Promise<{ email: string; key: string }> {
  let email = user;
  while (!email) {
    const typed = await io.ask('E-mail: ');
    if (typed === null) throw new CliError('No user given.');
    email = typed.trim();
  }
  for (let attempt = 1; ; attempt++) {
    const password = envPassword ?? (await io.askHidden(`Password for ${email}: `));
    if (password === null) throw new CliError('No password given.');
    try {
      return { email, key: await api.login(email, password) };
    } catch (e) {
      // Retry only what a person can fix by typing again.
      const retry = e instanceof ApiError && e.status === 400 && !envPassword && io.interactive && attempt < MAX_LOGIN_ATTEMPTS;
      if (!retry) throw new CliError(`Sign-in failed: ${errorText(e)}`);
      console.log(`${errorText(e)}\nTry again.`);
    }
  }
}

export async function tuiCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { url: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, user: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length) throw new CliError(`Unexpected argument "${positionals[0]}".\nusage: ${TUI_USAGE}`, 2);
  const config = tuiConfig(values, process.env);
  const api = new ApiClient(config.baseUrl);
  const io = new LineReader();
  try {
    const email = await connect(api, io, config);
    const session: Session = { api, io, print: (text) => console.log(text), lastId: null };
    console.log(`Signed in to ${config.baseUrl} as ${email}. Type ? for help, q to quit.`);
    for (;;) {
      const line = await io.ask(session.lastId === null ? 'calndro> ' : `calndro [${session.lastId}]> `);
      if (line === null) break;
      try {
        if (!(await runCommand(session, line))) break;
      } catch (e) {
        console.log(errorText(e));
        // The key ended while we ran (revoked, expired, password changed): sign in again.
        if (refused(e)) {
          forgetKey(config.keyFile, config.baseUrl);
          await connect(api, io, { ...config, user: email });
          console.log('Signed in again; repeat the command.');
        }
      }
    }
    console.log('Bye.');
  } finally {
    io.close();
  }
}
