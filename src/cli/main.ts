// `calndro <command>`: users, demo data and the TUI (SPEC §8). Dispatch only; each command
// lives in its own module and throws CliError for expected failures.
import 'dotenv/config';
import { USERS_USAGE, usersCommand } from './users.js';
import { DEMO_USAGE, demoCommand } from './demo.js';
import { TUI_USAGE, tuiCommand } from './tui/index.js';
import { CliError, EXIT_USAGE } from './errors.js';

const HELP = `calndro — command line

${USERS_USAGE}
      Create a user (--staff: sees all events) or set a new password. The password is
      asked twice without echo, or read from the first line of stdin (--password-stdin).
      A new password also ends every API key of the user; revoke-keys ends them without one.
${DEMO_USAGE}
      Demo users (one password, printed) and events with slots over the coming weeks.
${TUI_USAGE}
      Terminal client for a running server (npm start).
calndro help

Database and secrets come from the environment or .env, as for the server (DATABASE_URL, DATA_DIR).`;

const commands: Record<string, (args: string[]) => Promise<void>> = {
  users: usersCommand,
  demo: demoCommand,
  tui: tuiCommand,
  help: async () => console.log(HELP),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined || name === '--help' || name === '-h' ? commands.help! : commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    await command(args);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      console.error(e.message);
      return e.exitCode;
    }
    // node:util parseArgs: unknown option, missing value…
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${e.message}\nSee "calndro help".`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error('calndro: unexpected error:', e);
    process.exitCode = 1;
  },
);
