import type { Command } from 'commander';
import { loadCliConfig, loadServer } from '../cli-context.ts';

async function run(options: { http: boolean; worker: boolean }): Promise<void> {
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
