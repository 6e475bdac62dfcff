import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import {
  runForEachOrg,
  systemActor,
  writeIfNeeded,
} from '../../platform/jobs/org-sweep-helpers.ts';
import { recordScreeningCheck } from './screening.service.ts';

/** What the screening job needs. */
export interface ScreeningJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

const actor = systemActor('screening.daily');

/** One org's daily screening check (people join and leave outside this module). */
export async function runScreeningDay(deps: ScreeningJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  await writeIfNeeded(uow, async (scope) =>
    (await recordScreeningCheck(scope, orgId, now)) ? true : null,
  );
}

/** Daily at 00:30 UTC. */
export function createScreeningJobs(deps: ScreeningJobDeps) {
  return [
    defineJob({
      name: 'screening.daily',
      payload: z.object({}),
      schedule: '30 0 * * *',
      handler: () => runForEachOrg(deps.db, 'screening.daily', (id) => runScreeningDay(deps, id)),
    }),
  ];
}
