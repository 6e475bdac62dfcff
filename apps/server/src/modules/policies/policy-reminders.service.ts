import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import { addDays } from '../controls/index.ts';
import * as repo from './policy-reminders.repo.ts';

/** The moments a person with an open acknowledgement is mailed at. */
export type NoticeStage = 'requested' | 'reminder' | 'final_reminder' | 'overdue';

/** Days before the deadline of the reminder. */
export const reminderDaysBefore = 7;

/** Days before the deadline of the last reminder. */
export const finalReminderDaysBefore = 1;

const urgency: Record<NoticeStage, number> = {
  requested: 0,
  reminder: 1,
  final_reminder: 2,
  overdue: 3,
};

/**
 * The notice an open acknowledgement should get today, if any: the latest stage reached (the
 * request, 7 days before the deadline, the day before it, the first day after it) when neither
 * it nor a later one was sent. A stage missed (the worker was down) is still sent, once; earlier
 * stages overtaken by a later one are never sent.
 */
export function findNoticeStage(
  request: { requestedOn: string; dueOn: string },
  today: string,
  sent: readonly string[],
): NoticeStage | null {
  const stages: { stage: NoticeStage; day: string }[] = [
    { stage: 'requested', day: request.requestedOn },
    { stage: 'reminder', day: addDays(request.dueOn, -reminderDaysBefore) },
    { stage: 'final_reminder', day: addDays(request.dueOn, -finalReminderDaysBefore) },
    { stage: 'overdue', day: addDays(request.dueOn, 1) },
  ];
  const reached = stages.filter((s) => s.day <= today).at(-1);
  if (!reached) return null;
  const sentLevel = Math.max(
    -1,
    ...sent.flatMap((s) => (s in urgency ? [urgency[s as NoticeStage]] : [])),
  );
  return urgency[reached.stage] > sentLevel ? reached.stage : null;
}

/** Whether the manager of a person should hear of an overdue acknowledgement today. */
export function shouldEscalate(
  request: { dueOn: string; hasManager: boolean },
  today: string,
  sent: readonly string[],
): boolean {
  return request.hasManager && request.dueOn < today && !sent.includes('escalation');
}

function link(publicUrl: URL, path: string): string {
  return new URL(path, publicUrl).toString();
}

function describe(item: repo.OpenRequestRow, stage: NoticeStage, today: string): string {
  const title = `"${item.title}" (version ${String(item.number)})`;
  switch (stage) {
    case 'requested':
      return `${title}: please read and acknowledge it by ${item.due_on}.`;
    case 'reminder':
      return `${title}: due on ${item.due_on}, in ${String(daysBetween(today, item.due_on))} days.`;
    case 'final_reminder':
      return item.due_on === today
        ? `${title}: due today.`
        : `${title}: due tomorrow (${item.due_on}).`;
    case 'overdue':
      return `${title}: was due on ${item.due_on} and is overdue.`;
  }
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const subjects: Record<NoticeStage, (n: number, title: string) => string> = {
  requested: (n, title) =>
    n === 1 ? `Please acknowledge: ${title}` : `Please acknowledge ${String(n)} policies`,
  reminder: (n, title) =>
    n === 1
      ? `Reminder to acknowledge: ${title}`
      : `Reminder: ${String(n)} policies to acknowledge`,
  final_reminder: (n, title) =>
    n === 1 ? `Due soon: acknowledge ${title}` : `Due soon: ${String(n)} policies to acknowledge`,
  overdue: (n, title) =>
    n === 1 ? `Overdue: acknowledge ${title}` : `Overdue: ${String(n)} policies to acknowledge`,
};

/** The mail to a person listing the policies they must acknowledge, most urgent first. */
export function composePersonNotice(
  publicUrl: URL,
  orgName: string,
  person: { name: string; email: string },
  items: readonly { request: repo.OpenRequestRow; stage: NoticeStage }[],
  today: string,
): MailMessage {
  const sorted = [...items].sort((a, b) => urgency[b.stage] - urgency[a.stage]);
  const top = sorted[0];
  const stage = top?.stage ?? 'requested';
  return composeMail({
    to: person.email,
    subject: subjects[stage](sorted.length, top?.request.title ?? ''),
    greeting: `Hello ${person.name},`,
    paragraphs: [
      `${orgName} asks you to read its security policies and confirm you will follow them:`,
      ...sorted.map((i) => `• ${describe(i.request, i.stage, today)}`),
      'Open each policy in Steward, read it, and choose "I have read and will follow".',
    ],
    action: { label: 'Open my tasks', url: link(publicUrl, '/my-tasks') },
    footer: 'You receive this because a policy of your organisation applies to you.',
  });
}

/** The mail to a manager listing their people's overdue acknowledgements. */
export function composeManagerNotice(
  publicUrl: URL,
  orgName: string,
  manager: { name: string; email: string },
  items: readonly repo.OpenRequestRow[],
): MailMessage {
  const people = new Set(items.map((i) => i.user_id));
  return composeMail({
    to: manager.email,
    subject:
      people.size === 1
        ? `${items[0]?.user_name ?? 'One of your people'} has overdue policy acknowledgements`
        : `${String(people.size)} of your people have overdue policy acknowledgements`,
    greeting: `Hello ${manager.name},`,
    paragraphs: [
      `These people who report to you in ${orgName} have not acknowledged security policies by their deadline:`,
      ...items.map(
        (i) =>
          `• ${i.user_name} (${i.user_email}): "${i.title}" version ${String(i.number)}, due ${i.due_on}.`,
      ),
      'Please ask them to read and acknowledge these policies in Steward; the security program counts them as overdue until they do.',
    ],
    action: { label: 'Open Steward', url: link(publicUrl, '/') },
    footer: 'You receive this because the people directory names you as their manager.',
  });
}

/** What one run of reminders did. */
export interface ReminderOutcome {
  /** Notices recorded per stage, escalations included. */
  stages: Record<NoticeStage | 'escalation', number>;
  /** Mails queued after commit. */
  messages: MailMessage[];
}

/**
 * Reminders and escalations of one org for today, in the caller's write: every open request of
 * a version in force is checked for its stage; each person gets one mail listing what reached a
 * new stage, each manager one mail listing their people's newly overdue requests. Every notice
 * is recorded (one row per request and stage, unique), so no mail is ever sent twice; the mails
 * go out after commit.
 */
export async function collectReminders(
  scope: Pick<WriteScope, 'tx'>,
  orgId: string,
  publicUrl: URL,
  today: string,
): Promise<ReminderOutcome> {
  const rows = await repo.findOpenRequests(scope.tx);
  const stages: ReminderOutcome['stages'] = {
    requested: 0,
    reminder: 0,
    final_reminder: 0,
    overdue: 0,
    escalation: 0,
  };
  const notices: repo.NoticeInsert[] = [];
  const byPerson = new Map<string, { request: repo.OpenRequestRow; stage: NoticeStage }[]>();
  const byManager = new Map<string, { name: string; items: repo.OpenRequestRow[] }>();
  for (const row of rows) {
    const stage = findNoticeStage(
      { requestedOn: row.requested_on, dueOn: row.due_on },
      today,
      row.sent,
    );
    if (stage) {
      stages[stage]++;
      notices.push({ acknowledgementId: row.id, stage, email: row.user_email, managerId: null });
      const list = byPerson.get(row.user_id) ?? [];
      list.push({ request: row, stage });
      byPerson.set(row.user_id, list);
    }
    const managerEmail = row.manager_email;
    if (
      managerEmail !== null &&
      row.manager_person_id !== null &&
      shouldEscalate({ dueOn: row.due_on, hasManager: true }, today, row.sent)
    ) {
      stages.escalation++;
      notices.push({
        acknowledgementId: row.id,
        stage: 'escalation',
        email: managerEmail,
        managerId: row.manager_person_id,
      });
      const entry = byManager.get(managerEmail) ?? { name: row.manager_name ?? '', items: [] };
      entry.items.push(row);
      byManager.set(managerEmail, entry);
    }
  }
  if (notices.length === 0) return { stages, messages: [] };
  await repo.insertNotices(scope.tx, orgId, notices);
  const orgName = await repo.findOrgName(scope.tx);
  const messages: MailMessage[] = [];
  for (const items of byPerson.values()) {
    const first = items[0]?.request;
    if (!first) continue;
    messages.push(
      composePersonNotice(
        publicUrl,
        orgName,
        { name: first.user_name, email: first.user_email },
        items,
        today,
      ),
    );
  }
  for (const [email, entry] of byManager) {
    messages.push(
      composeManagerNotice(publicUrl, orgName, { name: entry.name, email }, entry.items),
    );
  }
  return { stages, messages };
}
