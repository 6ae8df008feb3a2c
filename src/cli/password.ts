// Where a new password comes from: typed twice without echo, or the first line of stdin
// (--password-stdin, for scripts; a password in argv would show up in `ps` and shell history).
import { CliError, EXIT_USAGE } from './errors.js';
import { LineReader, readFirstLineOfStdin } from './line-reader.js';

export async function obtainPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const password = await readFirstLineOfStdin();
    if (!password) throw new CliError('No password on stdin (expected it on the first line).');
    return password;
  }
  if (!process.stdin.isTTY) {
    throw new CliError('stdin is not a terminal: pass --password-stdin to read the password from it.', EXIT_USAGE);
  }
  const io = new LineReader();
  try {
    const first = await io.askHidden('Password: ');
    if (first === null) throw new CliError('Aborted.');
    const second = await io.askHidden('Password (again): ');
    if (second === null) throw new CliError('Aborted.');
    if (first !== second) throw new CliError('The passwords do not match.');
    return first;
  } finally {
    io.close();
  }
}
