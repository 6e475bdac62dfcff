import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { todayUtc } from '../controls/index.ts';
import { listOrgIds, refreshTaskStates } from './task-jobs.service.ts';
import { sendReminders, type ReminderDeps } from './task-reminders.service.ts';

async function forEachOrg(
  deps: ReminderDeps,
  job: string,
  fn: (orgId: string) => Promise<unknown>,
): Promise<void> {
  const failures: unknown[] = [];
  // One org's failure must not keep the others from their daily work; the job still fails.
  for (const orgId of await listOrgIds(deps.db)) {
    await fn(orgId).catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${job} failed for ${String(failures.length)} org(s)`);
  }
}

/** Jobs of the tasks module: daily task states (00:10 UTC) and reminders and digests (07:00 UTC). */
export function createTasksJobs(deps: ReminderDeps) {
  return [
    defineJob({
      name: 'tasks.refresh-states',
      payload: z.object({}),
      schedule: '10 0 * * *',
      handler: async () => {
        const today = todayUtc();
        await forEachOrg(deps, 'tasks.refresh-states', (orgId) =>
          refreshTaskStates(deps, orgId, today),
        );
      },
    }),
    defineJob({
      name: 'tasks.send-reminders',
      payload: z.object({}),
      schedule: '0 7 * * *',
      handler: async () => {
        const today = todayUtc();
        await forEachOrg(deps, 'tasks.send-reminders', (orgId) =>
          sendReminders(deps, orgId, today),
        );
      },
    }),
  ];
}
