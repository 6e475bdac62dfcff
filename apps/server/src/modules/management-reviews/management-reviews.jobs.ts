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
import { recordOversightCheck } from './management-reviews.service.ts';

/** What the management review job needs. */
export interface ReviewJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

const actor = systemActor('management-reviews.daily');

/** One org's daily oversight check; rolls back silently when nothing changed. */
export async function runReviewDay(deps: ReviewJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  await writeIfNeeded(uow, async (scope) =>
    (await recordOversightCheck(scope, orgId, now)) ? true : null,
  );
}

/** Daily at 00:25 UTC: a review falls overdue the day after its cadence runs out. */
export function createManagementReviewJobs(deps: ReviewJobDeps) {
  return [
    defineJob({
      name: 'management-reviews.daily',
      payload: z.object({}),
      schedule: '25 0 * * *',
      handler: () =>
        runForEachOrg(deps.db, 'management-reviews.daily', (id) => runReviewDay(deps, id)),
    }),
  ];
}
