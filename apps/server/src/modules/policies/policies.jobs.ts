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
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { todayUtc } from '../controls/index.ts';
import { runDailyPolicyWork } from './policies.service.ts';
import { collectReminders } from './policy-reminders.service.ts';

/** What the policy jobs need. */
export interface PolicyJobDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  /** Where links in mails point. */
  publicUrl: URL;
}

const actor = systemActor('policies.daily');

/**
 * One org's daily policy work: new joiners' requests, the policy checks, then reminders and
 * manager escalations (mailed after commit); rolls back silently when it had nothing to record.
 */
export async function runPolicyDay(deps: PolicyJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  await writeIfAudited(uow, async (scope) => {
    const { audit } = scope;
    const requested = await runDailyPolicyWork({ tx: scope.tx, audit }, orgId, now);
    if (requested > 0) {
      await audit({
        action: 'policy.acknowledgements_requested',
        targetType: 'org',
        targetId: orgId,
        changes: { requested, reason: 'joined an audience' },
      });
    }
    const reminders = await collectReminders(scope, orgId, deps.publicUrl, todayUtc(now));
    if (reminders.messages.length > 0) {
      await audit({
        action: 'policy.reminders_sent',
        targetType: 'org',
        targetId: orgId,
        changes: { notices: reminders.stages, mails: reminders.messages.length },
      });
      for (const message of reminders.messages) {
        scope.afterCommit(() => deps.outbox.send(message));
      }
    }
  });
}

/**
 * Jobs of the policies module: new joiners' requests, the policy checks, reminders and manager
 * escalations, daily at 00:20 UTC.
 */
export function createPoliciesJobs(deps: PolicyJobDeps) {
  return [
    defineJob({
      name: 'policies.daily',
      payload: z.object({}),
      schedule: '20 0 * * *',
      handler: () => runForEachOrg(deps.db, 'policies.daily', (id) => runPolicyDay(deps, id)),
    }),
  ];
}
