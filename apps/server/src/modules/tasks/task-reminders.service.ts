import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import { addDays } from '../controls/index.ts';
import { systemActor, writeIfNeeded } from '../../platform/jobs/org-sweep-helpers.ts';
import type { TaskJobDeps } from './task-jobs.service.ts';
import * as repo from './tasks.repo.ts';

/** What reminders and digests need. */
export interface ReminderDeps extends TaskJobDeps {
  outbox: MailOutbox;
  publicUrl: URL;
}

/** The moments a task owner is reminded at. */
export type ReminderStage = 'due_window' | 'week_before' | 'due_today' | 'overdue';

/** Tasks due within this many days are listed in the daily digest. */
export const digestHorizonDays = 14;

/**
 * The reminder a task should get today, if any: the latest stage reached (its due window opens,
 * 7 days before, the due day, the first overdue day) that was not reminded of yet. A stage
 * missed on its day (the worker was down) is still sent once the next day; `lastRemindedOn`
 * keeps it to one reminder per task per stage and per day.
 */
export function findReminderStage(
  task: { nextDueOn: string; graceDays: number; lastRemindedOn: string | null },
  today: string,
  dueWindowDays: number,
): { stage: ReminderStage; day: string } | null {
  const stages: { stage: ReminderStage; day: string }[] = [
    { stage: 'due_window', day: addDays(task.nextDueOn, -dueWindowDays) },
    ...(dueWindowDays > 7
      ? [{ stage: 'week_before' as const, day: addDays(task.nextDueOn, -7) }]
      : []),
    { stage: 'due_today', day: task.nextDueOn },
    { stage: 'overdue', day: addDays(task.nextDueOn, task.graceDays + 1) },
  ];
  const reached = stages.filter((s) => s.day <= today).at(-1);
  if (!reached) return null;
  if (task.lastRemindedOn !== null && task.lastRemindedOn >= reached.day) return null;
  return reached;
}

function linkTo(publicUrl: URL, path: string): string {
  return new URL(path, publicUrl).toString();
}

const subjects: Record<ReminderStage, (title: string, due: string) => string> = {
  due_window: (title, due) => `Evidence due by ${due}: ${title}`,
  week_before: (title) => `Due in 7 days: ${title}`,
  due_today: (title) => `Due today: ${title}`,
  overdue: (title) => `Overdue: ${title}`,
};

function stageSentence(stage: ReminderStage, task: repo.TaskRow): string {
  const due = task.next_due_on;
  switch (stage) {
    case 'due_window':
      return `It is due on ${due}. Evidence you add from now on counts for this occurrence.`;
    case 'week_before':
      return `It is due in 7 days, on ${due}.`;
    case 'due_today':
      return `It is due today (${due}). After ${String(task.grace_days)} days of grace it is overdue and control ${task.control_ref} fails.`;
    case 'overdue':
      return `It was due on ${due} and is overdue: control ${task.control_ref} fails until evidence covering today is added.`;
  }
}

/** The reminder email of a task at a stage. */
export function composeReminder(
  publicUrl: URL,
  orgName: string,
  task: repo.TaskRow,
  stage: ReminderStage,
): MailMessage {
  return composeMail({
    to: task.owner_email ?? '',
    subject: subjects[stage](task.title, task.next_due_on),
    greeting: `Hello ${task.owner_name ?? ''},`,
    paragraphs: [
      `"${task.title}" is recurring evidence work for control ${task.control_ref} (${task.control_title}) in ${orgName} on Steward.`,
      stageSentence(stage, task),
      'Add the evidence on the task page; the next occurrence is scheduled when you do.',
    ],
    action: { label: 'Open the task', url: linkTo(publicUrl, `/tasks/${task.id}`) },
    footer: 'You receive this because you own this task in Steward.',
  });
}

/** What one person's daily digest lists. */
export interface DigestContent {
  name: string;
  email: string;
  controls: { id: string; ref: string; title: string; status: string; reason: string }[];
  tasks: repo.TaskRow[];
}

/** The daily digest email of a control owner. */
export function composeDigest(
  publicUrl: URL,
  orgName: string,
  digest: DigestContent,
  today: string,
): MailMessage {
  const paragraphs: string[] = [];
  if (digest.controls.length > 0) {
    paragraphs.push(
      `Controls you own that need attention in ${orgName}:`,
      ...digest.controls.map(
        (c) =>
          `• ${c.ref} ${c.title}: ${c.status === 'failing' ? 'failing' : 'evidence runs out soon'}. ${c.reason}. ${linkTo(publicUrl, `/controls/${c.id}`)}`,
      ),
    );
  }
  if (digest.tasks.length > 0) {
    paragraphs.push(
      'Your evidence tasks:',
      ...digest.tasks.map((t) => {
        const when =
          t.state === 'overdue'
            ? `overdue (was due ${t.next_due_on})`
            : t.next_due_on === today
              ? 'due today'
              : `due ${t.next_due_on}`;
        return `• ${t.title} (${t.control_ref}): ${when}. ${linkTo(publicUrl, `/tasks/${t.id}`)}`;
      }),
    );
  }
  const counts = [
    digest.controls.length > 0
      ? `${String(digest.controls.length)} control${digest.controls.length === 1 ? '' : 's'}`
      : null,
    digest.tasks.length > 0
      ? `${String(digest.tasks.length)} task${digest.tasks.length === 1 ? '' : 's'}`
      : null,
  ].filter((c) => c !== null);
  return composeMail({
    to: digest.email,
    subject: `Steward daily digest: ${counts.join(' and ')} need you`,
    greeting: `Hello ${digest.name},`,
    paragraphs,
    action: { label: 'Open the dashboard', url: linkTo(publicUrl, '/') },
    footer: 'You receive this daily digest because you own controls or tasks in Steward.',
  });
}

/**
 * Remind owners of an org's active tasks that reached a reminder stage today (audited as
 * `task.reminded`, mail queued after commit), then, when the org has digests on, mail each
 * control owner a digest of their failing or due controls and upcoming tasks — only to those
 * with something in it. Returns how many reminders and digests were queued.
 */
export async function sendReminders(
  deps: ReminderDeps,
  orgId: string,
  today: string,
): Promise<{ reminders: number; digests: number }> {
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId,
    actor: systemActor('tasks.send-reminders'),
  });
  const reminded = await writeIfNeeded(uow, async ({ tx, audit, afterCommit }) => {
    const rules = await repo.findProgramRules(tx);
    const tasks = await repo.findRemindableTasks(tx);
    const due = tasks.flatMap((task) => {
      const found = findReminderStage(
        {
          nextDueOn: task.next_due_on,
          graceDays: task.grace_days,
          lastRemindedOn: task.last_reminded_on,
        },
        today,
        rules.taskDueWindowDays,
      );
      return found ? [{ task, stage: found.stage }] : [];
    });
    if (due.length === 0) return null;
    const orgName = await repo.findOrgName(tx);
    for (const { task, stage } of due) {
      await repo.updateTask(tx, task.id, { last_reminded_on: today });
      await audit({
        action: 'task.reminded',
        targetType: 'evidence_task',
        targetId: task.id,
        changes: { stage, dueOn: task.next_due_on, ownerId: task.owner_id },
      });
      const message = composeReminder(deps.publicUrl, orgName, task, stage);
      afterCommit(() => deps.outbox.send(message));
    }
    return due.length;
  });

  const digests = await uow.read(async (tx) => {
    const rules = await repo.findProgramRules(tx);
    if (!rules.isDigestEnabled) return [];
    const [controls, tasks, orgName] = await Promise.all([
      repo.findAttentionControls(tx),
      repo.findRemindableTasks(tx),
      repo.findOrgName(tx),
    ]);
    const horizon = addDays(today, digestHorizonDays);
    const byOwner = new Map<string, DigestContent>();
    const entry = (id: string, name: string, email: string) => {
      let found = byOwner.get(id);
      if (!found) {
        found = { name, email, controls: [], tasks: [] };
        byOwner.set(id, found);
      }
      return found;
    };
    for (const c of controls) {
      entry(c.owner_id, c.owner_name, c.owner_email).controls.push({
        id: c.id,
        ref: c.ref,
        title: c.title,
        status: c.status,
        reason: c.status_reason.replace(/\.$/, ''),
      });
    }
    for (const t of tasks) {
      if (t.owner_id === null) continue;
      const isUpcoming = t.state === 'due' || t.state === 'overdue' || t.next_due_on <= horizon;
      if (!isUpcoming) continue;
      entry(t.owner_id, t.owner_name ?? '', t.owner_email ?? '').tasks.push(t);
    }
    return [...byOwner.values()].map((d) => composeDigest(deps.publicUrl, orgName, d, today));
  });
  for (const message of digests) await deps.outbox.send(message);
  return { reminders: reminded ?? 0, digests: digests.length };
}
