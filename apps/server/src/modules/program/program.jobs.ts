import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { recordDailyStatus } from './program.service.ts';

/** Jobs of the program: the daily status of every control, for trends and "as of" views. */
export function createProgramJobs(deps: { db: Db; auditWriter: AuditWriter }) {
  return [
    defineJob({
      name: 'program.record-daily-status',
      payload: z.object({}),
      schedule: '5 0 * * *',
      retry: { limit: 3, delaySeconds: 300, backoff: true },
      handler: async () => {
        await recordDailyStatus(deps);
      },
    }),
  ];
}
