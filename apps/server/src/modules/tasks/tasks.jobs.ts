import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { runForEachOrg } from '../../platform/jobs/org-sweep-helpers.ts';
import { todayUtc } from '../controls/index.ts';
import { refreshTaskStates } from './task-jobs.service.ts';
import { sendReminders, type ReminderDeps } from './task-reminders.service.ts';

/** Jobs of the tasks module: daily task states (00:10 UTC) and reminders and digests (07:00 UTC). */
export function createTasksJobs(deps: ReminderDeps) {
  return [
    defineJob({
      name: 'tasks.refresh-states',
      payload: z.object({}),
      schedule: '10 0 * * *',
      handler: async () => {
        const today = todayUtc();
        await runForEachOrg(deps.db, 'tasks.refresh-states', (orgId) =>
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
        await runForEachOrg(deps.db, 'tasks.send-reminders', (orgId) =>
          sendReminders(deps, orgId, today),
        );
      },
    }),
  ];
}
