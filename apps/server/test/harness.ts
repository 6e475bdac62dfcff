import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { parseConfig, type Config } from '../src/config.ts';
import { loadOrCreateSigner, type CheckpointSigner } from '../src/platform/audit/signing.ts';
import { openDatabasePools, type DatabasePools } from '../src/platform/db/pools.ts';
import { createLogger } from '../src/platform/logger/logger.ts';

/** A fresh database cloned from the migrated template; returns its owner URL. */
export async function createTestDatabase(): Promise<string> {
  const { adminUrl, template } = inject('postgres');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A composed Steward on its own database and data directory, driven through `inject`. */
export interface TestApp extends App {
  config: Readonly<Config>;
  pools: DatabasePools;
  signer: CheckpointSigner;
  databaseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Build the whole application against a fresh database. With `logDestination`, log lines go
 * there (set `LOG_LEVEL` in `env` to see any).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'steward-test-data-'));
  const config = parseConfig({
    DATABASE_URL: databaseUrl,
    STEWARD_DATA_DIR: dataDir,
    STEWARD_RATE_LIMIT_PER_MINUTE: '100000',
    STEWARD_AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const logger = createLogger(config.logLevel, options.logDestination);
  const pools = openDatabasePools({ ownerUrl: databaseUrl, poolSize: 5 });
  const signer = await loadOrCreateSigner(dataDir);
  const app = await createApp({ config, logger, pools, signer });
  await app.http.ready();
  return {
    ...app,
    config,
    pools,
    signer,
    databaseUrl,
    dataDir,
    async close() {
      await app.http.close();
      await app.lifecycleDeriver.idle();
      await pools.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
