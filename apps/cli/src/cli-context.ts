import {
  ConfigError,
  createLogger,
  loadConfig,
  openDatabase,
  type Actor,
  type Config,
  type Logger,
  type OpenDatabase,
} from '@steward/server';
import { hostname, userInfo } from 'node:os';

import { CliError } from './cli-error.ts';

export { CliError } from './cli-error.ts';

/** Load configuration, turning problems into one line each. */
export function loadCliConfig(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** A logger for administrative commands: warnings and errors only, on stderr. */
export function createCliLogger(config: Readonly<Config>): Logger {
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

/** Open the database (migrated), run `fn`, and close it again. */
export async function withDatabase<T>(
  fn: (database: OpenDatabase, config: Readonly<Config>, logger: Logger) => Promise<T>,
  options: { migrate: boolean } = { migrate: true },
): Promise<T> {
  const config = loadCliConfig();
  const logger = createCliLogger(config);
  const database = await openDatabase(config, logger, options);
  try {
    return await fn(database, config, logger);
  } finally {
    await database.close();
  }
}
