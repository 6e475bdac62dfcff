import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';

/** What the tasks module needs. */
export interface TasksDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
}

/** Recurring evidence tasks: cadence, due states, reminders and digests. */
export function createTasksModule(_deps: TasksDeps): StewardModule {
  return defineModule({ name: 'tasks', routes: [] });
}
