// One clock (issue 9): src reads the wall clock in one place, src/system-clock.ts; stores,
// workers, the domain and auth are handed a Clock (test/integration/db/injected-clock.test.ts
// shows the stores stamping rows with it).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const WALL_CLOCK = /\bnew Date\(\s*\)|\bDate\.now\(\s*\)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : sources(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

it('reads the wall clock only in src/system-clock.ts', () => {
  const readers = sources(SRC).filter((file) => readFileSync(file, 'utf8').split('\n')
    .some((line) => !line.trim().startsWith('//') && WALL_CLOCK.test(line)));
  expect(readers.map((f) => relative(SRC, f))).toEqual(['system-clock.ts']);
});
