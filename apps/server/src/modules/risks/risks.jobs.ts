import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { todayUtc } from '../controls/index.ts';
import { recordRiskChecks } from './risk-checks.service.ts';
import { expireAcceptances } from './risk-acceptances.service.ts';

/** What the register's jobs need. */
export interface RiskJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

const actor: Actor = {
  type: 'system',
  id: null,
  label: 'risks.daily',
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

class NothingToWrite extends Error {}

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
  try {
    await uow.write(async (scope) => {
      let audited = 0;
      const audit: typeof scope.audit = async (event) => {
        audited++;
        await scope.audit(event);
      };
      await expireAcceptances({ tx: scope.tx, audit }, orgId, todayUtc(now));
      await recordRiskChecks({ tx: scope.tx, audit }, orgId, now);
      if (audited === 0) throw new NothingToWrite();
    });
  } catch (error) {
    if (!(error instanceof NothingToWrite)) throw error;
  }
}

/** Jobs of the risk register: acceptances and checks, daily at 00:25 UTC. */
export function createRisksJobs(deps: RiskJobDeps) {
  return [
    defineJob({
      name: 'risks.daily',
      payload: z.object({}),
      schedule: '25 0 * * *',
      handler: async () => {
        const ids = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(
          deps.db,
        );
        const failures: unknown[] = [];
        // One org's failure must not keep the others from their daily work; the job still fails.
        for (const { id } of ids.rows) {
          await runRiskDay(deps, id).catch((error: unknown) => failures.push(error));
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `risks.daily failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
  ];
}
