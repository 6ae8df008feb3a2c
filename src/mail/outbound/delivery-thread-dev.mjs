// Development/test entry of the delivery thread: loads the TypeScript source through tsx.
// (`--import tsx` in a worker's execArgv is not honoured on Node 20.) The build runs
// delivery-thread.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./delivery-thread.ts');
