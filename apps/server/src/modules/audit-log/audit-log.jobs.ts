import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { signDueCheckpoints } from './audit-log.service.ts';

/** Jobs of the audit log: an hourly signed checkpoint so truncating the tail is detectable. */
export function createAuditLogJobs(deps: { db: Db; auditWriter: AuditWriter }) {
  return [
    defineJob({
      name: 'audit.sign-checkpoints',
      payload: z.object({}),
      schedule: '0 * * * *',
      handler: async () => {
        await signDueCheckpoints(deps.db, deps.auditWriter);
      },
    }),
  ];
}
