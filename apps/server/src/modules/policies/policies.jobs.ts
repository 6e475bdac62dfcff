import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
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

const actor: Actor = {
  type: 'system',
  id: null,
  label: 'policies.daily',
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

class NothingToWrite extends Error {}

/**
 * One org's daily policy work: new joiners' requests, the policy checks, then reminders and
 * manager escalations (mailed after commit); rolls back silently when it had nothing to record.
 */
export async function runPolicyDay(deps: PolicyJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  try {
    await uow.write(async (scope) => {
      let audited = 0;
      const audit: typeof scope.audit = async (event) => {
        audited++;
        await scope.audit(event);
      };
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
      if (audited === 0) throw new NothingToWrite();
    });
  } catch (error) {
    if (!(error instanceof NothingToWrite)) throw error;
  }
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
      handler: async () => {
        const ids = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(
          deps.db,
        );
        const failures: unknown[] = [];
        // One org's failure must not keep the others from their daily work; the job still fails.
        for (const { id } of ids.rows) {
          await runPolicyDay(deps, id).catch((error: unknown) => failures.push(error));
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `policies.daily failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
  ];
}
