import type * as Server from '@steward/server';
import type * as Admin from '@steward/server/admin';
import type { Actor, Config, Logger, OpenDatabase } from '@steward/server';
import { hostname, userInfo } from 'node:os';

import { CliError } from './cli-error.ts';

export { CliError } from './cli-error.ts';

let server: Promise<typeof Server> | undefined;
let admin: Promise<typeof Admin> | undefined;

/**
 * The server's code, loaded on first use: `--help`, `--version` and usage errors answer without
 * it, and only the command that runs pays for loading it.
 */
export function loadServer(): Promise<typeof Server> {
  server ??= import('@steward/server');
  return server;
}

/**
 * The server's administrative part (configuration, database, migrations, audit verification),
 * without its HTTP application and modules: enough for `migrate` and `audit`.
 */
export function loadAdmin(): Promise<typeof Admin> {
  admin ??= import('@steward/server/admin');
  return admin;
}

/** Load configuration, turning problems into one line each. */
export async function loadCliConfig(): Promise<Readonly<Config>> {
  const { ConfigError, loadConfig } = await loadAdmin();
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** A logger for administrative commands: warnings and errors only, on stderr. */
export async function createCliLogger(config: Readonly<Config>): Promise<Logger> {
  const { createLogger } = await loadAdmin();
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  return createLogger(level, process.stderr);
}

/** The audit actor for changes made from the command line. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // Some containers run as a uid with no passwd entry; the host name still identifies the origin.
  }
  return {
    type: 'system',
    id: null,
    label: `cli:${user}@${hostname()}`,
    authMethod: 'cli',
    requestId: null,
    ip: null,
    userAgent: 'steward-cli',
  };
}

/**
 * Open the database (migrated), run `fn` with the server's administrative part, and close the
 * database again.
 */
export async function withDatabase<T>(
  fn: (
    database: OpenDatabase,
    config: Readonly<Config>,
    logger: Logger,
    admin: typeof Admin,
  ) => Promise<T>,
  options: { migrate: boolean } = { migrate: true },
): Promise<T> {
  const loaded = await loadAdmin();
  const config = await loadCliConfig();
  const logger = await createCliLogger(config);
  const database = await loaded.openDatabase(config, logger, options);
  try {
    return await fn(database, config, logger, loaded);
  } finally {
    await database.close();
  }
}
