#!/usr/bin/env node
// `npx calndro …`: runs the built CLI (dist/) in this process, so tsx is not needed at run time
// and there is no child process to forward signals and stdin to. `npm run cli` builds first.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('calndro is not built yet: run `npm run build` (or use `npm run cli -- …`, which builds first).');
  process.exit(1);
}
await import(main.href);
