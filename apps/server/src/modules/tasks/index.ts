import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createTasksJobs } from './tasks.jobs.ts';
import { tasksRoutes } from './tasks.routes.ts';

export { supplierOf } from './tasks.routes.ts';
export { seedDefaultTasks } from './tasks.seed.ts';
export {
  completeOccurrence,
  scheduleNextDue,
  stateOf,
  type Supplier,
  type TaskScope,
} from './tasks.service.ts';
export {
  findProgramRules,
  findTask,
  findTaskIdByKey,
  type ProgramRules,
  type TaskRow,
} from './tasks.repo.ts';

/** What the tasks module needs. */
export interface TasksDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
}

/** Recurring evidence tasks: cadence, due states, reminders and digests. */
export function createTasksModule(deps: TasksDeps): StewardModule {
  return defineModule({ name: 'tasks', routes: tasksRoutes, jobs: createTasksJobs(deps) });
}
