import { sql } from 'kysely';
import { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db, Tx } from '../../platform/db/pools.ts';
import { defineJob, type JobDefinition } from '../../platform/jobs/jobs.ts';
import {
  runForEachOrg,
  systemActor,
  writeIfAudited,
} from '../../platform/jobs/org-sweep-helpers.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import { addDays, todayUtc } from '../controls/index.ts';
import { recordAccessReviewChecks } from './access-reviews.service.ts';

/** What the daily access review work needs. */
export interface AccessReviewJobDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
}

const actor = systemActor('access-reviews.daily');

/** Days before a campaign's due date when reviewers with undecided accounts are reminded. */
export const reminderDays = [7, 1] as const;

interface Pending {
  campaign_id: string;
  campaign_name: string;
  due_on: string;
  owner_user_id: string;
  owner_name: string;
  owner_email: string;
  reviewer_user_id: string;
  reviewer_name: string;
  reviewer_email: string;
  undecided: string;
}

async function findUndecidedByReviewer(tx: Tx): Promise<Pending[]> {
  const result = await sql<Pending>`
    SELECT c.id AS campaign_id, c.name AS campaign_name, c.due_on::text AS due_on,
           c.owner_user_id, o.name AS owner_name, o.email AS owner_email,
           r.id AS reviewer_user_id, r.name AS reviewer_name, r.email AS reviewer_email,
           count(*) AS undecided
      FROM access_review_campaigns c
      JOIN access_review_items i ON i.campaign_id = c.id AND i.decision IS NULL
      JOIN users r ON r.id = i.reviewer_user_id
      JOIN users o ON o.id = c.owner_user_id
     WHERE c.status = 'open'
     GROUP BY c.id, o.id, r.id
     ORDER BY c.due_on, c.id, r.name`.execute(tx);
  return result.rows;
}

/**
 * Which mails a day brings: a reminder to each reviewer with undecided accounts 7 days and 1 day
 * before the due date and on it; once overdue, one escalation a day to the campaign owner naming
 * the reviewers behind.
 */
export function planReviewMail(
  pending: readonly Pending[],
  today: string,
): { reminders: Pending[]; escalations: Map<string, Pending[]> } {
  const reminders = pending.filter(
    (p) => p.due_on === today || reminderDays.some((d) => addDays(today, d) === p.due_on),
  );
  const escalations = new Map<string, Pending[]>();
  for (const p of pending) {
    if (p.due_on >= today) continue;
    escalations.set(p.campaign_id, [...(escalations.get(p.campaign_id) ?? []), p]);
  }
  return { reminders, escalations };
}

function reminderMail(publicUrl: URL, p: Pending): MailMessage {
  return composeMail({
    to: p.reviewer_email,
    subject: `Access review "${p.campaign_name}": ${p.undecided} account(s) to review by ${p.due_on}`,
    greeting: `Hello ${p.reviewer_name},`,
    paragraphs: [
      `You review ${p.undecided} account(s) still without a decision in the access review "${p.campaign_name}", due on ${p.due_on}.`,
      'Keep, revoke or change each one; revocations and changes need a reason.',
    ],
    action: {
      label: 'Open your review',
      url: new URL(`/access-reviews/${p.campaign_id}?reviewer=me`, publicUrl).toString(),
    },
    footer: 'You receive this because you are a reviewer in this campaign.',
  });
}

function escalationMail(publicUrl: URL, behind: Pending[]): MailMessage {
  const first = behind[0];
  if (!first) throw new Error('an escalation needs a reviewer behind');
  return composeMail({
    to: first.owner_email,
    subject: `Access review "${first.campaign_name}" is overdue`,
    greeting: `Hello ${first.owner_name},`,
    paragraphs: [
      `The access review "${first.campaign_name}" was due on ${first.due_on} and still has accounts without a decision:`,
      ...behind.map((p) => `${p.reviewer_name} <${p.reviewer_email}>: ${p.undecided} account(s)`),
      'You own the campaign: follow up with the reviewers, or decide in their place.',
    ],
    action: {
      label: 'Open the campaign',
      url: new URL(`/access-reviews/${first.campaign_id}`, publicUrl).toString(),
    },
    footer: 'You receive this because you launched this access review.',
  });
}

/** One org's daily work: reminders, escalations (each at most once a day), and the checks. */
export async function runAccessReviewDay(
  deps: AccessReviewJobDeps,
  orgId: string,
  now = new Date(),
): Promise<{ reminders: number; escalations: number }> {
  const today = todayUtc(now);
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  // Counted, so that a day with nothing to send and no check change writes nothing at all.
  const done = await writeIfAudited(uow, async (scope) => {
    const { tx, audit, afterCommit } = scope;
    const plan = planReviewMail(await findUndecidedByReviewer(tx), today);
    let reminders = 0;
    let escalations = 0;
    const claim = async (campaignId: string, userId: string, kind: string): Promise<boolean> => {
      const inserted = await sql`
        INSERT INTO access_review_reminders (org_id, campaign_id, user_id, kind, sent_on)
        VALUES (${orgId}, ${campaignId}, ${userId}, ${kind}, ${today})
        ON CONFLICT DO NOTHING`.execute(tx);
      return Number(inserted.numAffectedRows ?? 0n) > 0;
    };
    for (const p of plan.reminders) {
      if (!(await claim(p.campaign_id, p.reviewer_user_id, 'reminder'))) continue;
      reminders += 1;
      const message = reminderMail(deps.publicUrl, p);
      afterCommit(() => deps.outbox.send(message));
    }
    for (const [campaignId, behind] of plan.escalations) {
      const owner = behind[0]?.owner_user_id;
      if (owner === undefined || !(await claim(campaignId, owner, 'escalation'))) continue;
      escalations += 1;
      const message = escalationMail(deps.publicUrl, behind);
      afterCommit(() => deps.outbox.send(message));
    }
    if (reminders + escalations > 0) {
      await audit({
        action: 'access_review.reminded',
        targetType: 'org',
        targetId: orgId,
        changes: { reminders, escalations, day: today },
      });
    }
    // The checks are recorded daily too, so a review ageing past three months fails on time.
    await recordAccessReviewChecks(scope, orgId, now);
    return { reminders, escalations };
  });
  return done ?? { reminders: 0, escalations: 0 };
}

/** Jobs of access reviews: the daily reminders, escalations and checks at 07:10 UTC. */
export function createAccessReviewJobs(deps: AccessReviewJobDeps): JobDefinition[] {
  return [
    defineJob({
      name: 'access-reviews.daily',
      payload: z.object({}),
      schedule: '10 7 * * *',
      handler: () =>
        runForEachOrg(deps.db, 'access-reviews.daily', (id) => runAccessReviewDay(deps, id)),
    }),
  ];
}
