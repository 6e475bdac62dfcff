import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase } from '../src/platform/db/embedded.ts';
import { runMigrations } from '../src/platform/db/migrate.ts';
import { createLogger } from '../src/platform/logger/logger.ts';
import { findFreePort } from './ports.ts';

/** Name of the migrated database every test file clones. */
export const templateDatabase = 'steward_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { adminUrl: string; template: string };
  }
}

/** One embedded PostgreSQL cluster for the whole run, with a migrated template database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'steward-test-pg-'));
  const logger = createLogger('warn');
  const cluster = await startEmbeddedDatabase({
    dataDir,
    port: await findFreePort(),
    logger,
    database: templateDatabase,
  });
  await runMigrations({ url: cluster.url, logger: createLogger('silent') });
  project.provide('postgres', { adminUrl: cluster.adminUrl(), template: templateDatabase });
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
