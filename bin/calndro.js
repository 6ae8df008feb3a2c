#!/usr/bin/env node
// `npx calndro …`: runs the TypeScript CLI in this process through tsx's loader, so there is
// no build step and no child process to forward signals and stdin to.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
