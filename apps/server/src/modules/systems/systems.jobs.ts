import { z } from 'zod';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { withOrg } from '../../platform/db/pools.ts';
import { isAppError } from '../../platform/errors/app-error.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import {
  runForEachOrg,
  systemActor,
  writeIfAudited,
} from '../../platform/jobs/org-sweep-helpers.ts';
import { syncSystem } from './account-sync.service.ts';
import { recordSystemsChecks } from './systems-checks.service.ts';
import type { SystemsDeps } from './systems-deps.ts';
import * as repo from './systems.repo.ts';

const scheduleActor = systemActor('systems.scheduled-sync');

const dailyActor = systemActor('systems.daily');

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
      handler: () =>
        runForEachOrg(deps.db, 'systems.scheduled-sync', (id) => runDueSyncs(deps, id)),
    }),
    defineJob({
      name: 'systems.daily',
      payload: z.object({}),
      schedule: '30 0 * * *',
      handler: () =>
        runForEachOrg(deps.db, 'systems.daily', (id) => {
          const uow = createUnitOfWork({
            db: deps.db,
            auditWriter: deps.auditWriter,
            orgId: id,
            actor: dailyActor,
          });
          return writeIfAudited(uow, (scope) => recordSystemsChecks(scope, id));
        }),
    }),
  ];
}
