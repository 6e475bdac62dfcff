import type { Config } from '../../config.ts';
import type { Logger } from '../logger/logger.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';
import { runMigrations } from './migrate.ts';
import { openDatabasePools, type DatabasePools } from './pools.ts';

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
