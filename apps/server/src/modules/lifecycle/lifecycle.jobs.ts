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
import type { LifecycleDeriver } from './lifecycle-deriver.ts';
import * as repo from './lifecycle.repo.ts';
import {
  deriveEndDatesReached,
  peopleManagerRoles,
  recordLifecycleChecks,
} from './lifecycle.service.ts';

/** What the lifecycle jobs need. */
export interface LifecycleJobDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
  /** Derives queued directory changes; the sweep below catches what a stopped process left. */
  deriver: LifecycleDeriver;
}

const actor = systemActor('lifecycle.hourly');

const kindLabels = { joiner: 'joiner', mover: 'mover', leaver: 'leaver' } as const;

function linkTo(publicUrl: URL, path: string): string {
  return new URL(path, publicUrl).toString();
}

type OverdueItem = Awaited<ReturnType<typeof repo.findOverdueItems>>[number];

/** The overdue notices: each system owner hears of their accounts, people managers of all. */
export function composeOverdueMail(
  publicUrl: URL,
  orgName: string,
  items: readonly OverdueItem[],
  managers: readonly { email: string; name: string }[],
): MailMessage[] {
  const messages: MailMessage[] = [];
  const byOwner = new Map<string, { name: string; items: OverdueItem[] }>();
  for (const item of items) {
    if (!item.owner_email) continue;
    const entry = byOwner.get(item.owner_email) ?? { name: item.owner_name ?? '', items: [] };
    entry.items.push(item);
    byOwner.set(item.owner_email, entry);
  }
  const line = (i: OverdueItem) =>
    `• ${i.person_name} (${kindLabels[i.kind as keyof typeof kindLabels]}, due ${i.due_at.toISOString().slice(0, 16).replace('T', ' ')} UTC): ${i.title}. ${linkTo(publicUrl, `/lifecycle/${i.checklist_id}`)}`;
  for (const [email, owner] of byOwner) {
    messages.push(
      composeMail({
        to: email,
        subject: `Overdue: ${String(owner.items.length)} account(s) of people who left`,
        greeting: `Hello ${owner.name},`,
        paragraphs: [
          `These accounts on systems you own in ${orgName} belong to people who left and are past the deadline to disable them:`,
          ...owner.items.slice(0, 50).map(line),
          'Disable them; the item closes at the next sync, or attach evidence on the checklist.',
        ],
        action: { label: 'Open the checklists', url: linkTo(publicUrl, '/lifecycle') },
        footer: 'You receive this because you own these systems in Steward.',
      }),
    );
  }
  const checklists = new Set(items.map((i) => i.checklist_id)).size;
  for (const manager of managers) {
    messages.push(
      composeMail({
        to: manager.email,
        subject: `Overdue: ${String(checklists)} joiner/mover/leaver checklist(s)`,
        greeting: `Hello ${manager.name},`,
        paragraphs: [
          `${String(checklists)} checklist(s) in ${orgName} passed their deadline with ${String(items.length)} open item(s):`,
          ...items.slice(0, 50).map(line),
        ],
        action: { label: 'Open the overdue checklists', url: linkTo(publicUrl, '/lifecycle') },
        footer: 'You receive this because you manage people in Steward.',
      }),
    );
  }
  return messages;
}

/**
 * Notify about checklists that became overdue since the last run (once per checklist), in the
 * caller's write; mail goes out after commit. Returns how many checklists were notified.
 */
export async function notifyOverdue(
  scope: Pick<WriteScope, 'tx' | 'audit' | 'afterCommit'>,
  deps: Pick<LifecycleJobDeps, 'outbox' | 'publicUrl'>,
  now: Date,
): Promise<number> {
  const { tx, audit, afterCommit } = scope;
  const overdue = (await repo.findOverdueChecklists(tx, now)).filter(
    (c) => c.overdue_notified_at === null,
  );
  if (overdue.length === 0) return 0;
  const ids = overdue.map((c) => c.id);
  const items = await repo.findOverdueItems(tx, ids);
  const managers = await repo.findPeopleManagers(tx, peopleManagerRoles);
  const messages = composeOverdueMail(deps.publicUrl, await repo.findOrgName(tx), items, managers);
  await repo.markNotified(tx, ids, now);
  await audit({
    action: 'lifecycle.overdue_notified',
    targetType: 'org',
    targetId: null,
    changes: { checklists: ids, openItems: items.length, recipients: messages.length },
  });
  for (const message of messages) afterCommit(() => deps.outbox.send(message));
  return overdue.length;
}

/**
 * One org's lifecycle sweep: leavers whose end date came, overdue notices, and the annex checks.
 * Rolls back silently when it had nothing to record.
 */
export async function runLifecycleSweep(
  deps: Omit<LifecycleJobDeps, 'deriver'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  await writeIfAudited(uow, async (scope) => {
    await deriveEndDatesReached(scope, orgId, todayUtc(now), now);
    await notifyOverdue(scope, deps, now);
    await recordLifecycleChecks(scope, orgId, now);
  });
}

/**
 * Jobs of the lifecycle: the hourly sweep (end dates, overdue notices, checks), and every minute
 * the derivation of directory changes still queued (a process that queued them stopped first).
 */
export function createLifecycleJobs(deps: LifecycleJobDeps) {
  return [
    defineJob({
      name: 'lifecycle.derive',
      payload: z.object({}),
      schedule: '* * * * *',
      handler: () => runForEachOrg(deps.db, 'lifecycle.derive', (id) => deps.deriver.drain(id)),
    }),
    defineJob({
      name: 'lifecycle.hourly',
      payload: z.object({}),
      // Hourly, because a leaver's deadline is counted in hours (24 by default).
      schedule: '25 * * * *',
      handler: () =>
        runForEachOrg(deps.db, 'lifecycle.hourly', (id) => runLifecycleSweep(deps, id)),
    }),
  ];
}
