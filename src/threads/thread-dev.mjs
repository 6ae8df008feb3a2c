// Development/test entry of every worker thread (thread-pool.ts): loads the thread's TypeScript
// source, named by the last argument, through tsx. (`--import tsx` in a worker's execArgv is not
// honoured on Node 20.) The build runs the thread's compiled .js directly.
import { register } from 'tsx/esm/api';

register();
await import(process.argv.at(-1));
