export { createApp, type App, type AppDeps } from './app.ts';
export { ConfigError, loadConfig, parseConfig, type Config } from './config.ts';
export { openDatabase, startSteward, type OpenDatabase, type RunningSteward } from './runtime.ts';
export { createLogger, type Logger } from './platform/logger/logger.ts';
export { installationLog, verifyAuditLog, type VerifyResult } from './platform/audit/verify.ts';
export { loadOrCreateSigner, loadPublicKey, signingKeyPath } from './platform/audit/signing.ts';
export { createAuditWriter } from './platform/audit/audit-writer.ts';
export { createUnitOfWork } from './platform/audit/unit-of-work.ts';
export { MigrationError, runMigrations } from './platform/db/migrate.ts';
export { withOrg } from './platform/db/pools.ts';
export { AppError } from './platform/errors/app-error.ts';
export { setUp, signIn } from './modules/auth/index.ts';
export { createToken } from './modules/tokens/index.ts';
export { version } from './version.ts';
export { createUser } from './modules/users/index.ts';
export { hashPassword } from './platform/crypto/passwords.ts';
export { findUserByEmail } from './modules/auth/index.ts';
export { signDueCheckpoints } from './modules/audit-log/index.ts';
export type { Actor } from './platform/audit/audit-writer.ts';
export type { Db } from './platform/db/pools.ts';
export {
  ensureActiveDataKey,
  loadMasterKeyring,
  masterKeyPath,
  promoteMasterKeyFile,
  rewrapDataKeys,
  stageMasterKeyFile,
} from './platform/crypto/data-keys.ts';
export {
  createKeyring,
  generateMasterKeyText,
  parseMasterKey,
} from './platform/crypto/envelope.ts';
export {
  ensureProgramSeeded,
  exportOscal,
  recordDailyStatus,
  seedNewOrgProgram,
  type OscalExportModel,
} from './modules/program/index.ts';
export { importOscalCatalog, listFrameworks } from './modules/frameworks/index.ts';
export {
  importKevCatalog,
  KevCatalogError,
  parseKevCatalog,
  type KevCatalog,
  type KevImportResult,
} from './modules/findings/index.ts';
export { createScimToken, listScimTokens, revokeScimToken } from './modules/scim/index.ts';
