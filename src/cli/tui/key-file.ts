// The TUI's saved API keys, one per server URL, in a file only its owner can read (0600):
// a new run reuses the key instead of signing in (and minting a key) every time.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SavedKey { user: string; key: string }

interface KeyFile { servers: Record<string, SavedKey> }

function read(file: string): KeyFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFile>;
    return { servers: parsed.servers && typeof parsed.servers === 'object' ? parsed.servers : {} };
  } catch {
    return { servers: {} }; // missing or unreadable: as if nothing was saved
  }
}

function write(file: string, data: KeyFile): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the mode above only applies when the file is created
  renameSync(tmp, file);
}

export function savedKey(file: string, baseUrl: string): SavedKey | null {
  const s = read(file).servers[baseUrl];
  return s && typeof s.key === 'string' && typeof s.user === 'string' ? s : null;
}

export function saveKey(file: string, baseUrl: string, saved: SavedKey): void {
  const data = read(file);
  data.servers[baseUrl] = saved;
  write(file, data);
}

export function forgetKey(file: string, baseUrl: string): void {
  const data = read(file);
  if (!(baseUrl in data.servers)) return;
  delete data.servers[baseUrl];
  write(file, data);
}
