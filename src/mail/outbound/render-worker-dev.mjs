// Development/test entry of the render worker: loads the TypeScript source through tsx.
// (`--import tsx` in a worker's execArgv is not honoured on Node 20.) The build runs
// render-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
