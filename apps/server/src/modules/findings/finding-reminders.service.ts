import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork, type WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import * as repo from './finding-reminders.repo.ts';

/** Critical findings listed by title in a new-critical notice; the others are counted. */
export const newCriticalListed = 20;

/** Findings listed per stage in a deadline reminder; the others are counted. */
export const remindersListed = 25;

/** What notices and reminders need to reach people. */
export interface NewCriticalNoticeDeps {
  outbox: MailOutbox;
  publicUrl: URL;
}

/** A new open critical finding of an import (its title only for the first few). */
export interface NewCriticalFinding {
  id: string;
  title: string | null;
}

function linkTo(publicUrl: URL, path: string): string {
  return new URL(path, publicUrl).toString();
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${String(n)} ${n === 1 ? word : words}`;
}

/** The email telling an asset's owner about new critical findings of an import. */
export function composeNewCriticalNotice(
  publicUrl: URL,
  recipient: repo.Recipient,
  assetName: string,
  findings: readonly NewCriticalFinding[],
): MailMessage {
  const listed = findings.filter((f) => f.title !== null).slice(0, newCriticalListed);
  const rest = findings.length - listed.length;
  return composeMail({
    to: recipient.email,
    subject: `New critical ${findings.length === 1 ? 'finding' : 'findings'} on ${assetName}: ${plural(findings.length, 'finding')}`,
    greeting: `Hello ${recipient.name},`,
    paragraphs: [
      `A scan of ${assetName}, an asset you own, found ${plural(findings.length, 'new critical finding')}:`,
      ...listed.map((f) => `• ${f.title ?? ''} ${linkTo(publicUrl, `/findings/${f.id}`)}`),
      ...(rest > 0 ? [`…and ${String(rest)} more.`] : []),
      'Critical findings have the shortest remediation deadline; fix them, or record why they do not apply.',
    ],
    action: {
      label: 'Open the critical findings',
      url: linkTo(publicUrl, '/findings?severity=critical&state=open'),
    },
    footer: 'You receive this because you own this asset in Steward.',
  });
}

/**
 * Tell the asset's owner about new critical findings of an import: recorded in the import's
 * transaction (one notice per finding, ever) and mailed once it commits. An asset without an
 * active owner has no one to tell. Returns how many findings were notified.
 */
export async function notifyNewCriticalFindings(
  scope: WriteScope,
  deps: NewCriticalNoticeDeps,
  input: {
    orgId: string;
    asset: { id: string; name: string; owner_id: string | null };
    importId: string;
    findings: readonly NewCriticalFinding[];
  },
): Promise<number> {
  if (input.asset.owner_id === null || input.findings.length === 0) return 0;
  const recipient = await repo.findRecipient(scope.tx, input.asset.owner_id);
  if (!recipient) return 0;
  const recorded = new Set(
    await repo.insertNewCriticalNotices(
      scope.tx,
      input.orgId,
      recipient.id,
      input.findings.map((f) => f.id),
    ),
  );
  const notified = input.findings.filter((f) => recorded.has(f.id));
  if (notified.length === 0) return 0;
  const message = composeNewCriticalNotice(deps.publicUrl, recipient, input.asset.name, notified);
  scope.afterCommit(() => deps.outbox.send(message));
  return notified.length;
}

const stageHeadings: Record<repo.DueReminderRow['stage'], string> = {
  breached: 'Past their remediation deadline (SLA breached):',
  due_in_1_day: 'Due within a day:',
  due_in_7_days: 'Due within 7 days:',
};

/** The deadline reminder of one owner: their findings by stage, most urgent first. */
export function composeDueReminder(
  publicUrl: URL,
  rows: readonly repo.DueReminderRow[],
): MailMessage {
  const first = rows[0];
  if (!first) throw new Error('a reminder needs at least one finding');
  const stages = (['breached', 'due_in_1_day', 'due_in_7_days'] as const).map((stage) => ({
    stage,
    rows: rows.filter((r) => r.stage === stage),
  }));
  const counts = stages
    .filter((s) => s.rows.length > 0)
    .map((s) => {
      const n = s.rows.length;
      if (s.stage === 'breached') return `${plural(n, 'finding')} past due`;
      return `${plural(n, 'finding')} due ${s.stage === 'due_in_1_day' ? 'within a day' : 'within 7 days'}`;
    });
  const paragraphs: string[] = ['Findings on assets you own need remediation:'];
  for (const { stage, rows: staged } of stages) {
    if (staged.length === 0) continue;
    paragraphs.push(stageHeadings[stage]);
    for (const r of staged.slice(0, remindersListed)) {
      paragraphs.push(
        `• [${r.severity}] ${r.title} on ${r.asset_name}, due ${r.due_at.toISOString().slice(0, 10)}: ${linkTo(publicUrl, `/findings/${r.finding_id}`)}`,
      );
    }
    if (staged.length > remindersListed) {
      paragraphs.push(`…and ${String(staged.length - remindersListed)} more.`);
    }
  }
  paragraphs.push(
    'Fix them, or request a risk acceptance with a justification before they are due.',
  );
  const anyBreached = stages[0]?.rows.length !== 0;
  return composeMail({
    to: first.recipient_email,
    subject: `${anyBreached ? 'SLA breached' : 'Remediation due'}: ${counts.join(', ')}`,
    greeting: `Hello ${first.recipient_name},`,
    paragraphs,
    action: {
      label: anyBreached ? 'Open the breached findings' : 'Open the findings due soon',
      url: linkTo(publicUrl, `/findings?sla=${anyBreached ? 'breached' : 'due_soon'}`),
    },
    footer: 'You receive this because you own assets with findings in Steward.',
  });
}

/** What the daily deadline reminders need. */
export interface DueReminderDeps extends NewCriticalNoticeDeps {
  db: Db;
  auditWriter: AuditWriter;
}

class NothingToRemind extends Error {}

/**
 * Remind asset owners of their findings due within 7 days, within a day, and past due: each
 * stage of each deadline once (recorded in `finding_reminders`), one email per owner, audited as
 * `finding.reminders_sent`. Returns how many reminders were recorded.
 */
export async function sendDueReminders(
  deps: DueReminderDeps,
  orgId: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<number> {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  try {
    return await uow.write(async (scope) => {
      const rows = await repo.recordDueReminders(scope.tx, orgId, now);
      // Nothing reached a new stage: roll back quietly instead of committing an unaudited write.
      if (rows.length === 0) throw new NothingToRemind();
      const byRecipient = new Map<string, repo.DueReminderRow[]>();
      for (const row of rows) {
        const list = byRecipient.get(row.recipient_user_id) ?? [];
        list.push(row);
        byRecipient.set(row.recipient_user_id, list);
      }
      const stageCounts = { breached: 0, due_in_1_day: 0, due_in_7_days: 0 };
      for (const row of rows) stageCounts[row.stage] += 1;
      await scope.audit({
        action: 'finding.reminders_sent',
        targetType: 'org',
        targetId: orgId,
        changes: {
          reminders: rows.length,
          recipients: [...byRecipient.keys()],
          breached: stageCounts.breached,
          dueInOneDay: stageCounts.due_in_1_day,
          dueInSevenDays: stageCounts.due_in_7_days,
        },
      });
      for (const list of byRecipient.values()) {
        const message = composeDueReminder(deps.publicUrl, list);
        scope.afterCommit(() => deps.outbox.send(message));
      }
      return rows.length;
    });
  } catch (error) {
    if (error instanceof NothingToRemind) return 0;
    throw error;
  }
}
