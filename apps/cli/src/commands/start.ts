import type { Command } from 'commander';
import { setFlagsFromString } from 'node:v8';
import { loadCliConfig, loadServer } from '../cli-context.ts';

// V8 lets the heap grow up to four times what was live at the last full collection before the
// next one. A large scan import holds its merged report (a few hundred MB at 100,000 findings)
// while it is written, so a collection at that moment let the server reach twice the memory the
// import needed. At one and a half times, its peak memory follows what it holds, for a little
// more collection work during the import and none when idle.
const heapGrowingPercent = 50;

async function run(options: { http: boolean; worker: boolean }): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${String(heapGrowingPercent)}`);
  const { createLogger, startSteward } = await loadServer();
  const config = await loadCliConfig();
  const logger = createLogger(config.logLevel);
  const running = await startSteward(config, logger, {
    http: options.http,
    worker: options.worker && (config.runWorker || !options.http),
  });
  if (options.http) logger.info({ url: config.publicUrl.href }, 'Steward is serving');
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    logger.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** `steward start`: HTTP and, unless configured otherwise, the worker. */
export function defineStartCommand(start: Command): void {
  start.action(() => run({ http: true, worker: true }));
}

/** `steward worker`: the background worker alone. */
export function defineWorkerCommand(worker: Command): void {
  worker.action(() => run({ http: false, worker: true }));
}
