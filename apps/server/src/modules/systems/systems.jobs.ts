import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { withOrg } from '../../platform/db/pools.ts';
import { isAppError } from '../../platform/errors/app-error.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { syncSystem } from './account-sync.service.ts';
import { recordSystemsChecks } from './systems-checks.service.ts';
import type { SystemsDeps } from './systems-deps.ts';
import * as repo from './systems.repo.ts';

const scheduleActor: Actor = {
  type: 'system',
  id: null,
  label: 'systems.scheduled-sync',
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

const dailyActor: Actor = { ...scheduleActor, label: 'systems.daily' };

async function orgIds(deps: SystemsDeps): Promise<string[]> {
  const rows = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(deps.db);
  return rows.rows.map((r) => r.id);
}

/**
 * Run the scheduled syncs that are due in one org, each in its own transaction. A failed sync
 * is recorded in the system's history (and audited) and does not stop the others; returns how
 * many ran and failed.
 */
export async function runDueSyncs(
  deps: SystemsDeps,
  orgId: string,
  now = new Date(),
): Promise<{ ran: number; failed: number }> {
  const due = await withOrg(deps.db, orgId, (tx) => repo.findDueSystems(tx, now));
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId,
    actor: scheduleActor,
  });
  let failed = 0;
  const unexpected: unknown[] = [];
  for (const system of due) {
    try {
      await syncSystem(deps, uow, system.id, 'schedule');
    } catch (error) {
      failed++;
      // Refusals (unreachable server, bad settings) are in the sync history already; anything
      // else fails the job once the other systems had their turn.
      if (!isAppError(error) || error.status >= 500) unexpected.push(error);
    }
  }
  if (unexpected.length > 0) {
    throw new AggregateError(unexpected, `${String(unexpected.length)} scheduled sync(s) failed`);
  }
  return { ran: due.length, failed };
}

/** Jobs: due syncs every five minutes, and the daily recomputation of the annex checks. */
export function createSystemsJobs(deps: SystemsDeps) {
  return [
    defineJob({
      name: 'systems.scheduled-sync',
      payload: z.object({}),
      schedule: '*/5 * * * *',
      handler: async () => {
        const failures: unknown[] = [];
        for (const id of await orgIds(deps)) {
          await runDueSyncs(deps, id).catch((error: unknown) => failures.push(error));
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `systems.scheduled-sync failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
    defineJob({
      name: 'systems.daily',
      payload: z.object({}),
      schedule: '30 0 * * *',
      handler: async () => {
        const failures: unknown[] = [];
        for (const id of await orgIds(deps)) {
          const uow = createUnitOfWork({
            db: deps.db,
            auditWriter: deps.auditWriter,
            orgId: id,
            actor: dailyActor,
          });
          await uow
            .write(async (scope) => {
              let audited = 0;
              await recordSystemsChecks(
                {
                  tx: scope.tx,
                  audit: async (event) => {
                    audited++;
                    await scope.audit(event);
                  },
                },
                id,
              );
              if (audited === 0) throw new NothingRecorded();
            })
            .catch((error: unknown) => {
              if (!(error instanceof NothingRecorded)) failures.push(error);
            });
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `systems.daily failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
  ];
}

class NothingRecorded extends Error {}
