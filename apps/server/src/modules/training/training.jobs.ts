import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork, type WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import {
  runForEachOrg,
  systemActor,
  writeIfAudited,
} from '../../platform/jobs/org-sweep-helpers.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import { todayUtc } from '../controls/index.ts';
import {
  findReminderStage,
  isEscalationDue,
  reminderLeadDays,
  type TrainingReminderStage,
} from './training-rules.ts';
import { assignModule, recordTrainingChecks } from './training.service.ts';
import * as repo from './training.repo.ts';

/** What the training jobs need. */
export interface TrainingJobDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
}

const actor = systemActor('training.daily');

type Remindable = Awaited<ReturnType<typeof repo.findRemindable>>[number];

const stageWords: Record<TrainingReminderStage, (due: string) => string> = {
  week_before: (due) => `due in ${String(reminderLeadDays)} days, on ${due}`,
  due_today: () => 'due today',
  overdue: (due) => `overdue since ${due}`,
};

/** The reminder mail of one person: every training of theirs at a reminder stage today. */
export function composeTrainingReminder(
  publicUrl: URL,
  orgName: string,
  person: { name: string; email: string },
  items: { title: string; dueOn: string; stage: TrainingReminderStage }[],
): MailMessage {
  const isOverdue = items.some((i) => i.stage === 'overdue');
  return composeMail({
    to: person.email,
    subject: isOverdue
      ? 'Overdue security training'
      : `Security training due: ${items.map((i) => i.title).join(', ')}`.slice(0, 200),
    greeting: `Hello ${person.name},`,
    paragraphs: [
      `Your security awareness training at ${orgName}:`,
      ...items.map((i) => `• ${i.title}: ${stageWords[i.stage](i.dueOn)}.`),
      'Open "My tasks" in Steward to take it; most modules take 15 minutes and end with a short quiz.',
    ],
    action: { label: 'Open My tasks', url: new URL('/my-tasks', publicUrl).toString() },
    footer: 'You receive this because security training was assigned to you in Steward.',
  });
}

/** The escalation mail to a manager: their people's overdue training. */
export function composeTrainingEscalation(
  publicUrl: URL,
  orgName: string,
  manager: { name: string; email: string },
  items: { name: string; title: string; dueOn: string }[],
): MailMessage {
  return composeMail({
    to: manager.email,
    subject: `Overdue security training in your team (${String(items.length)})`,
    greeting: `Hello ${manager.name},`,
    paragraphs: [
      `Security awareness training is overdue for people who report to you at ${orgName}:`,
      ...items.map((i) => `• ${i.name}: ${i.title}, due ${i.dueOn}.`),
      'Please make sure they complete it soon: the company promises its customers that everyone is trained, and an overdue person breaks that promise.',
    ],
    action: { label: 'Open Steward', url: new URL('/', publicUrl).toString() },
    footer: 'You receive this because you are the manager of these people in the people directory.',
  });
}

async function remindAndEscalate(
  deps: TrainingJobDeps,
  scope: Pick<WriteScope, 'tx' | 'audit' | 'afterCommit'>,
  today: string,
): Promise<{ reminded: number; escalated: number }> {
  const rows = await repo.findRemindable(scope.tx, today, reminderLeadDays);
  const orgName = await repo.findOrgName(scope.tx);
  const byPerson = new Map<
    string,
    { name: string; email: string; items: (Remindable & { stage: TrainingReminderStage })[] }
  >();
  const byManager = new Map<string, { name: string; email: string; items: Remindable[] }>();
  for (const row of rows) {
    const stage = findReminderStage(
      { dueOn: row.due_on, lastRemindedOn: row.last_reminded_on },
      today,
    );
    if (stage && row.email) {
      const entry = byPerson.get(row.email) ?? { name: row.name, email: row.email, items: [] };
      entry.items.push({ ...row, stage });
      byPerson.set(row.email, entry);
    }
    if (
      isEscalationDue({ dueOn: row.due_on, escalatedOn: row.escalated_on }, today) &&
      row.manager_email
    ) {
      const entry = byManager.get(row.manager_email) ?? {
        name: row.manager_name ?? '',
        email: row.manager_email,
        items: [],
      };
      entry.items.push(row);
      byManager.set(row.manager_email, entry);
    }
  }
  const reminded = [...byPerson.values()].flatMap((p) => p.items);
  const escalated = [...byManager.values()].flatMap((m) => m.items);
  await repo.markReminded(
    scope.tx,
    reminded.map((r) => r.id),
    'last_reminded_on',
    today,
  );
  await repo.markReminded(
    scope.tx,
    escalated.map((r) => r.id),
    'escalated_on',
    today,
  );
  if (reminded.length > 0) {
    await scope.audit({
      action: 'training.reminded',
      targetType: 'training',
      targetId: null,
      changes: {
        people: byPerson.size,
        assignments: reminded.map((r) => ({ id: r.id, moduleId: r.module_id, stage: r.stage })),
      },
    });
  }
  if (escalated.length > 0) {
    await scope.audit({
      action: 'training.escalated',
      targetType: 'training',
      targetId: null,
      changes: {
        managers: byManager.size,
        assignments: escalated.map((r) => ({ id: r.id, moduleId: r.module_id, dueOn: r.due_on })),
      },
    });
  }
  const messages = [
    ...[...byPerson.values()].map((p) =>
      composeTrainingReminder(
        deps.publicUrl,
        orgName,
        p,
        p.items.map((i) => ({ title: i.title, dueOn: i.due_on, stage: i.stage })),
      ),
    ),
    ...[...byManager.values()].map((m) =>
      composeTrainingEscalation(
        deps.publicUrl,
        orgName,
        m,
        m.items.map((i) => ({ name: i.name, title: i.title, dueOn: i.due_on })),
      ),
    ),
  ];
  scope.afterCommit(async () => {
    for (const message of messages) await deps.outbox.send(message);
  });
  return { reminded: reminded.length, escalated: escalated.length };
}

/**
 * One org's daily training work: assign joiners and refreshers coming due, remind people of
 * training due within 7 days, on the due day and once overdue, escalate overdue training to the
 * person's manager once, then record the training checks. Rolls back silently when it had
 * nothing to record.
 */
export async function runTrainingDay(deps: TrainingJobDeps, orgId: string, now = new Date()) {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  const today = todayUtc(now);
  const done = await writeIfAudited(uow, async (scope) => {
    let assigned = 0;
    for (const module of await repo.findModules(scope.tx)) {
      const created = await assignModule(scope.tx, orgId, module, today);
      if (created > 0) {
        assigned += created;
        await scope.audit({
          action: 'training.assigned',
          targetType: 'training_module',
          targetId: module.id,
          changes: { assigned: created, reason: 'daily assignment rules' },
        });
      }
    }
    const sent = await remindAndEscalate(deps, scope, today);
    await recordTrainingChecks(scope, orgId, now);
    return { assigned, ...sent };
  });
  return done ?? { assigned: 0, reminded: 0, escalated: 0 };
}

/** Jobs of the training module: assignments, reminders, escalation and checks, daily at 00:30 UTC. */
export function createTrainingJobs(deps: TrainingJobDeps) {
  return [
    defineJob({
      name: 'training.daily',
      payload: z.object({}),
      schedule: '30 0 * * *',
      handler: () => runForEachOrg(deps.db, 'training.daily', (id) => runTrainingDay(deps, id)),
    }),
  ];
}
