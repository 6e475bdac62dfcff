import type { Config } from './config.ts';
import { createApp, type App } from './app.ts';
import { ensureProgramSeeded } from './modules/program/index.ts';
import { loadOrCreateSigner, type CheckpointSigner } from './platform/audit/signing.ts';
import { openDatabase, type OpenDatabase } from './platform/db/open-database.ts';
import { startJobRunner, type JobRunner } from './platform/jobs/jobs.ts';
import type { Logger } from './platform/logger/logger.ts';

export { openDatabase, type OpenDatabase } from './platform/db/open-database.ts';

/** A running Steward process. */
export interface RunningSteward {
  app: App | null;
  jobs: JobRunner;
  signer: CheckpointSigner;
  database: OpenDatabase;
  stop(): Promise<void>;
}

/**
 * Start Steward: migrate, then serve HTTP (unless `http` is false) and run the worker (unless
 * `worker` is false). Nothing is served before migrations succeed.
 */
export async function startSteward(
  config: Readonly<Config>,
  logger: Logger,
  options: { http: boolean; worker: boolean },
): Promise<RunningSteward> {
  const database = await openDatabase(config, logger);
  let app: App | null = null;
  let jobs: JobRunner | null = null;
  try {
    const signer = await loadOrCreateSigner(config.dataDir);
    app = await createApp({ config, logger, pools: database.pools, signer });
    await app.secrets.ready();
    const seeded = await ensureProgramSeeded({
      owner: database.pools.owner,
      db: database.pools.app,
      auditWriter: app.auditWriter,
    });
    if (seeded > 0) logger.info({ orgs: seeded }, 'program set up for existing organisations');
    jobs = await startJobRunner({
      url: database.pools.ownerUrl,
      jobs: app.jobs,
      logger,
      work: options.worker,
    });
    app.jobQueue.bind(jobs);
    if (options.http) {
      await app.http.listen({ port: config.port, host: config.host });
    } else {
      await app.http.close();
    }
    const started = { app: options.http ? app : null, jobs, signer, database };
    let stopping: Promise<void> | null = null;
    return {
      ...started,
      stop() {
        stopping ??= (async () => {
          logger.info('shutting down');
          if (options.http) await app?.http.close();
          // Derivations started by the last requests finish before the pools close.
          await app?.lifecycleDeriver.idle();
          await jobs?.stop();
          await database.close();
          logger.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await app?.http.close().catch(() => undefined);
    await jobs?.stop().catch(() => undefined);
    await database.close();
    throw error;
  }
}
