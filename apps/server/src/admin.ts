// The server's administrative surface without the HTTP application and its modules:
// configuration, logging, the database, migrations and audit verification. The CLI loads this
// for commands that need nothing else, so they start without loading every module.
export { ConfigError, loadConfig, type Config } from './config.ts';
export { createLogger, type Logger } from './platform/logger/logger.ts';
export { openDatabase, type OpenDatabase } from './platform/db/open-database.ts';
export { MigrationError, runMigrations } from './platform/db/migrate.ts';
export { installationLog, verifyAuditLog } from './platform/audit/verify.ts';
export { loadOrCreateSigner, loadPublicKey } from './platform/audit/signing.ts';
export type { Db } from './platform/db/pools.ts';
