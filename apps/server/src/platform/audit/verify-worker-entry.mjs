// Worker threads do not inherit the TypeScript loader of the main thread. tsx's require hook is
// registered here rather than its ESM loader, which starts a loader thread of its own and makes
// each worker take several hundred milliseconds longer to start; verify-worker.ts and what it
// imports are therefore loaded as CommonJS (no top-level await there).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
require('tsx/cjs/api').register();
const { runVerifyWorker } = require('./verify-worker.ts');
await runVerifyWorker(workerData, (message) => parentPort.postMessage(message));
