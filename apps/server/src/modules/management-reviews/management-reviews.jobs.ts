import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { recordOversightCheck } from './management-reviews.service.ts';

/** What the management review job needs. */
export interface ReviewJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

const actor: Actor = {
  type: 'system',
  id: null,
  label: 'management-reviews.daily',
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

class NothingToWrite extends Error {}

/** One org's daily oversight check; rolls back silently when nothing changed. */
export async function runReviewDay(deps: ReviewJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  try {
    await uow.write(async (scope) => {
      if (!(await recordOversightCheck(scope, orgId, now))) throw new NothingToWrite();
    });
  } catch (error) {
    if (!(error instanceof NothingToWrite)) throw error;
  }
}

/** Daily at 00:25 UTC: a review falls overdue the day after its cadence runs out. */
export function createManagementReviewJobs(deps: ReviewJobDeps) {
  return [
    defineJob({
      name: 'management-reviews.daily',
      payload: z.object({}),
      schedule: '25 0 * * *',
      handler: async () => {
        const ids = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(
          deps.db,
        );
        const failures: unknown[] = [];
        // One org's failure must not keep the others from their check; the job still fails.
        for (const { id } of ids.rows) {
          await runReviewDay(deps, id).catch((error: unknown) => failures.push(error));
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `management-reviews.daily failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
  ];
}
