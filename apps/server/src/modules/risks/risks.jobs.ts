import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import {
  runForEachOrg,
  systemActor,
  writeIfAudited,
} from '../../platform/jobs/org-sweep-helpers.ts';
import { todayUtc } from '../controls/index.ts';
import { recordRiskChecks } from './risk-checks.service.ts';
import { expireAcceptances } from './risk-acceptances.service.ts';

/** What the register's jobs need. */
export interface RiskJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

const actor = systemActor('risks.daily');

/**
 * One org's daily register work: expired acceptances end (their risks reopen), then both checks
 * are recorded (overdue reviews and treatments). Rolls back silently when nothing was recorded.
 */
export async function runRiskDay(
  deps: RiskJobDeps,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  await writeIfAudited(uow, async (scope) => {
    await expireAcceptances(scope, orgId, todayUtc(now));
    await recordRiskChecks(scope, orgId, now);
  });
}

/** Jobs of the risk register: acceptances and checks, daily at 00:25 UTC. */
export function createRisksJobs(deps: RiskJobDeps) {
  return [
    defineJob({
      name: 'risks.daily',
      payload: z.object({}),
      schedule: '25 0 * * *',
      handler: () => runForEachOrg(deps.db, 'risks.daily', (id) => runRiskDay(deps, id)),
    }),
  ];
}
