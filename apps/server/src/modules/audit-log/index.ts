import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createAuditLogJobs } from './audit-log.jobs.ts';
import { createAuditLogRoutes } from './audit-log.routes.ts';

export { signDueCheckpoints } from './audit-log.service.ts';

/** Audit log: search, the checkpoint public key, and hourly signed checkpoints. */
export function createAuditLogModule(deps: { db: Db; auditWriter: AuditWriter }): StewardModule {
  return defineModule({
    name: 'audit-log',
    routes: createAuditLogRoutes(deps.auditWriter.signer),
    jobs: createAuditLogJobs(deps),
  });
}
