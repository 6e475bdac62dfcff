import { createLogger, startSteward } from '@steward/server';
import type { Command } from 'commander';
import { loadCliConfig } from '../cli-context.ts';

async function run(options: { http: boolean; worker: boolean }): Promise<void> {
  const config = loadCliConfig();
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

/** `steward start` and `steward worker`. */
export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description('serve the web UI and API, and run the worker unless STEWARD_WORKER=false')
    .action(() => run({ http: true, worker: true }));
  program
    .command('worker')
    .description('run only the background worker (jobs and schedules)')
    .action(() => run({ http: false, worker: true }));
}
