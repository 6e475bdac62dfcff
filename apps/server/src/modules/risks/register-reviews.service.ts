import type { recordRiskRegisterReviewSchema, riskRegisterReviewSchema } from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import { addMonths, refreshControlStatuses, todayUtc } from '../controls/index.ts';
import {
  completeOccurrence,
  findProgramRules,
  findTask,
  findTaskIdByKey,
  stateOf,
} from '../tasks/index.ts';
import { countOpenHighRisks } from './risk-metrics.repo.ts';
import * as repo from './risks.repo.ts';
import type { RiskActor } from './risks.service.ts';

type RegisterReview = z.infer<typeof riskRegisterReviewSchema>;
type Kind = RegisterReview['kind'];

/** The program tasks a register review is evidence for: an assessment is also a review. */
export const tasksOfReview: Record<Kind, readonly string[]> = {
  annual_assessment: ['risks.annual_assessment', 'risks.register_review'],
  register_review: ['risks.register_review'],
};

const titles: Record<Kind, string> = {
  annual_assessment: 'Annual risk assessment',
  register_review: 'Risk register review',
};

function toReview(row: repo.RegisterReviewRow, users: Map<string, repo.UserRef>): RegisterReview {
  const s = row.snapshot;
  const n = (key: string): number => (typeof s[key] === 'number' ? s[key] : 0);
  return {
    id: row.id,
    kind: row.kind,
    reviewedOn: row.reviewed_on,
    reviewer: row.reviewer_user_id === null ? null : (users.get(row.reviewer_user_id) ?? null),
    note: row.note,
    snapshot: {
      total: n('total'),
      open: n('open'),
      accepted: n('accepted'),
      openHigh: n('openHigh'),
      reviewOverdue: n('reviewOverdue'),
    },
    evidenceId: row.evidence_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** Register reviews and assessments, newest first. */
export async function listRegisterReviews(uow: UnitOfWork): Promise<RegisterReview[]> {
  return uow.read(async (tx) => {
    const rows = await repo.findRegisterReviews(tx);
    const users = await repo.findUsers(
      tx,
      rows.flatMap((r) => (r.reviewer_user_id === null ? [] : [r.reviewer_user_id])),
    );
    return rows.map((r) => toReview(r, users));
  });
}

async function completeTaskWithLink(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  input: {
    key: string;
    actor: RiskActor & { userId: string };
    url: string;
    summary: string;
    now: Date;
  },
): Promise<string | null> {
  const { tx } = scope;
  const taskId = await findTaskIdByKey(tx, input.key);
  if (taskId === undefined) return null;
  const task = await findTask(tx, taskId, { forUpdate: true });
  if (!task) return null;
  const today = todayUtc(input.now);
  const evidenceId = randomUUID();
  const effectiveTo = addMonths(today, task.cadence_months);
  await repo.insertReviewEvidence(tx, {
    id: evidenceId,
    orgId,
    title: `${task.title}: ${today}`.slice(0, 300),
    description: input.summary,
    url: input.url,
    collectedAt: input.now,
    effectiveFrom: today,
    effectiveTo,
    suppliedByUserId: input.actor.userId,
    suppliedBy: input.actor.label,
    taskId: task.id,
    controlId: task.control_id,
  });
  await scope.audit({
    action: 'evidence.added',
    targetType: 'evidence',
    targetId: evidenceId,
    changes: {
      title: `${task.title}: ${today}`,
      kind: 'link',
      url: input.url,
      effectiveFrom: today,
      effectiveTo,
      controlIds: [task.control_id],
      taskId: task.id,
    },
  });
  const rules = await findProgramRules(tx);
  if (stateOf(task, today, rules.taskDueWindowDays) !== 'done') {
    await completeOccurrence(scope, orgId, task, {
      evidenceIds: [evidenceId],
      note: input.summary,
      completedBy: input.actor,
      now: input.now,
      dueWindowDays: rules.taskDueWindowDays,
      trigger: 'evidence',
    });
  }
  await refreshControlStatuses(scope, orgId, [task.control_id], { today });
  return evidenceId;
}

/**
 * Record a review of the whole register (or the yearly assessment) with a snapshot of it, and
 * file it as evidence of the matching program tasks, completing their open occurrences.
 */
export async function recordRegisterReview(
  uow: UnitOfWork,
  actor: RiskActor & { userId: string },
  publicUrl: URL,
  input: z.output<typeof recordRiskRegisterReviewSchema>,
  now = new Date(),
): Promise<RegisterReview> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const today = todayUtc(now);
    const byStatus = await repo.countByStatus(tx);
    const live = await repo.findLiveRisks(tx);
    const snapshot = {
      total: [...byStatus.values()].reduce((a, b) => a + b, 0),
      open: byStatus.get('open') ?? 0,
      accepted: byStatus.get('accepted') ?? 0,
      openHigh: await countOpenHighRisks(tx),
      reviewOverdue: live.filter((r) => r.review_on < today).length,
      risks: live.map((r) => ({
        ref: r.ref,
        title: r.title,
        status: r.status,
        inherent: [r.inherent_likelihood, r.inherent_impact],
        residual: [r.residual_likelihood, r.residual_impact],
        treatment: r.treatment,
        reviewOn: r.review_on,
      })),
    };
    const id = randomUUID();
    const url = new URL(`/risks/register-reviews#${id}`, publicUrl).toString();
    const summary =
      `${titles[input.kind]} by ${actor.label}: ${String(snapshot.open)} open, ${String(
        snapshot.accepted,
      )} accepted, ${String(snapshot.openHigh)} high. ${input.note}`.slice(0, 5000);
    let evidenceId: string | null = null;
    for (const key of tasksOfReview[input.kind]) {
      const added = await completeTaskWithLink(scope, uow.orgId, { key, actor, url, summary, now });
      evidenceId ??= added;
    }
    const row = await repo.insertRegisterReview(tx, {
      id,
      orgId: uow.orgId,
      kind: input.kind,
      reviewedOn: today,
      reviewerUserId: actor.userId,
      note: input.note,
      snapshot,
      evidenceId,
    });
    await scope.audit({
      action: 'risk.register_reviewed',
      targetType: 'risk_register_review',
      targetId: row.id,
      changes: {
        kind: input.kind,
        note: input.note,
        evidenceId,
        open: snapshot.open,
        accepted: snapshot.accepted,
        openHigh: snapshot.openHigh,
      },
    });
    const users = await repo.findUsers(tx, [actor.userId]);
    return toReview(row, users);
  });
}
