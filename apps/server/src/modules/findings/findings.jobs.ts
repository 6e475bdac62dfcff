import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob, type JobDefinition } from '../../platform/jobs/jobs.ts';
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

const jobActor: Actor = {
  type: 'system',
  id: null,
  label: jobName,
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

class NothingRecorded extends Error {}

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
  let checksRecorded: string[] = [];
  try {
    checksRecorded = await uow.write(async (scope) => {
      const keys = await recordVulnerabilityChecks(
        scope,
        orgId,
        { userId: null, label: jobName },
        now,
      );
      // Nothing new to record: roll back quietly instead of committing an unaudited write.
      if (keys.length === 0) throw new NothingRecorded();
      return keys;
    });
  } catch (error) {
    if (!(error instanceof NothingRecorded)) throw error;
  }
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
      handler: async () => {
        const orgIds = (
          await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(deps.db)
        ).rows.map((r) => r.id);
        const failures: unknown[] = [];
        // One org's failure must not keep the others from their daily work; the job still fails.
        for (const orgId of orgIds) {
          await runDailyFindingsWork(deps, orgId).catch((error: unknown) => failures.push(error));
        }
        if (failures.length > 0) {
          throw new AggregateError(
            failures,
            `${jobName} failed for ${String(failures.length)} org(s)`,
          );
        }
      },
    }),
  ];
}
