import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { recordScreeningCheck } from './screening.service.ts';

/** What the screening job needs. */
export interface ScreeningJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

const actor: Actor = {
  type: 'system',
  id: null,
  label: 'screening.daily',
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

class NothingToWrite extends Error {}

/** One org's daily screening check (people join and leave outside this module). */
export async function runScreeningDay(deps: ScreeningJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  try {
    await uow.write(async (scope) => {
      if (!(await recordScreeningCheck(scope, orgId, now))) throw new NothingToWrite();
    });
  } catch (error) {
    if (!(error instanceof NothingToWrite)) throw error;
  }
}

/** Daily at 00:30 UTC. */
export function createScreeningJobs(deps: ScreeningJobDeps) {
  return [
    defineJob({
      name: 'screening.daily',
      payload: z.object({}),
      schedule: '30 0 * * *',
      handler: async () => {
        const ids = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(
          deps.db,
        );
        const failures: unknown[] = [];
        // One org's failure must not keep the others from their check; the job still fails.
        for (const { id } of ids.rows) {
          await runScreeningDay(deps, id).catch((error: unknown) => failures.push(error));
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `screening.daily failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
  ];
}
