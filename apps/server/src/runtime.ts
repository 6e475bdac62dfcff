import type { Config } from './config.ts';
import { createApp, type App } from './app.ts';
import { ensureProgramSeeded } from './modules/program/index.ts';
import { loadOrCreateSigner, type CheckpointSigner } from './platform/audit/signing.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './platform/db/embedded.ts';
import { runMigrations } from './platform/db/migrate.ts';
import { openDatabasePools, type DatabasePools } from './platform/db/pools.ts';
import { startJobRunner, type JobRunner } from './platform/jobs/jobs.ts';
import type { Logger } from './platform/logger/logger.ts';

/** An open database: the pools, and the embedded cluster when Steward runs its own. */
export interface OpenDatabase {
  pools: DatabasePools;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/** Connect to DATABASE_URL, or start the embedded PostgreSQL; apply migrations unless told not to. */
export async function openDatabase(
  config: Readonly<Config>,
  logger: Logger,
  options: { migrate: boolean } = { migrate: true },
): Promise<OpenDatabase> {
  const embedded = config.database.url
    ? null
    : await startEmbeddedDatabase({
        dataDir: config.dataDir,
        port: config.database.embeddedPort,
        logger,
      });
  const ownerUrl = config.database.url ?? embedded?.url;
  if (!ownerUrl) throw new Error('no database URL');
  try {
    if (options.migrate) await runMigrations({ url: ownerUrl, logger });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const pools = openDatabasePools({
    ownerUrl,
    appUrl: config.database.appUrl,
    poolSize: config.database.poolSize,
  });
  return {
    pools,
    embedded,
    async close() {
      await pools.close();
      await embedded?.stop();
    },
  };
}

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
