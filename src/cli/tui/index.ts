// `calndro tui`: sign in to a running server, then read commands until q or end of input.
import { parseArgs } from 'node:util';
import { LineReader } from '../line-reader.js';
import { CliError } from '../errors.js';
import { ApiClient, ApiError } from './api.js';
import { runCommand, type Session } from './commands.js';
import { numberedSlots, printableLines } from './format.js';
import { tuiConfig } from './config.js';

export const TUI_USAGE = `calndro tui [--url URL | --host H --port P] [--user EMAIL]
      (or CALNDRO_URL, CALNDRO_HOST, CALNDRO_PORT, CALNDRO_USER; CALNDRO_PASSWORD for scripts)`;

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

async function signIn(api: ApiClient, io: LineReader, user: string | undefined, envPassword: string | undefined): Promise<string> {
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
      await api.login(email, password);
      return email;
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
    const email = await signIn(api, io, config.user, config.password);
    const session: Session = { api, io, print: (text) => console.log(text), lastId: null };
    console.log(`Signed in to ${config.baseUrl} as ${email}. Type ? for help, q to quit.`);
    for (;;) {
      const line = await io.ask(session.lastId === null ? 'calndro> ' : `calndro [${session.lastId}]> `);
      if (line === null) break;
      try {
        if (!(await runCommand(session, line))) break;
      } catch (e) {
        console.log(errorText(e));
      }
    }
    console.log('Bye.');
  } finally {
    io.close();
  }
}
