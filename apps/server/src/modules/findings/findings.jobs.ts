import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob, type JobDefinition } from '../../platform/jobs/jobs.ts';
import {
  runForEachOrg,
  systemActor,
  writeIfNeeded,
} from '../../platform/jobs/org-sweep-helpers.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { sendDueReminders } from './finding-reminders.service.ts';
import { expireRiskAcceptances } from './risk-acceptances.service.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

/** What the scheduled vulnerability work needs. */
export interface FindingsJobDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
}

const jobName = 'findings.daily';

const jobActor = systemActor(jobName);

/**
 * The daily vulnerability work of one org: expire risk acceptances past their last day (their
 * findings reopen with a fresh SLA clock), record the vulnerability checks whose outcome
 * changed (deadlines pass and scans go stale without anyone importing anything), and remind
 * asset owners of findings due within 7 days, within a day, or past due (each stage once).
 */
export async function runDailyFindingsWork(
  deps: FindingsJobDeps,
  orgId: string,
  now: Date = new Date(),
): Promise<{ expired: number; checksRecorded: string[]; reminders: number }> {
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId,
    actor: jobActor,
  });
  const expired = await expireRiskAcceptances(uow, now);
  // Nothing new to record: the write rolls back quietly instead of committing unaudited.
  const checksRecorded =
    (await writeIfNeeded(uow, async (scope) => {
      const keys = await recordVulnerabilityChecks(
        scope,
        orgId,
        { userId: null, label: jobName },
        now,
      );
      return keys.length === 0 ? null : keys;
    })) ?? [];
  const reminders = await sendDueReminders(deps, orgId, jobActor, now);
  return { expired, checksRecorded, reminders };
}

/**
 * Jobs of the findings module: the daily expiry of risk acceptances, check refresh and deadline
 * reminders (00:20 UTC).
 */
export function createFindingsJobs(deps: FindingsJobDeps): JobDefinition[] {
  return [
    defineJob({
      name: jobName,
      payload: z.object({}),
      schedule: '20 0 * * *',
      handler: () => runForEachOrg(deps.db, jobName, (orgId) => runDailyFindingsWork(deps, orgId)),
    }),
  ];
}
