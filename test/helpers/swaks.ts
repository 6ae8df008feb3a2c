// Sends mail with the real swaks client (Debian package "swaks"), asynchronously.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SwaksResult { ok: boolean; output: string }

export async function swaks(port: number, args: string[]): Promise<SwaksResult> {
  try {
    const { stdout, stderr } = await run('swaks', ['--server', `127.0.0.1:${port}`, '--hide-informational', '--suppress-data', ...args], { timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: unknown };
    if (err.code === 'ENOENT') throw new Error('swaks not found: install the Debian package "swaks"');
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}
