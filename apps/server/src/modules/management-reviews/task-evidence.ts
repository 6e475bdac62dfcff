import { randomUUID } from 'node:crypto';
import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { recordCheckResultIn, refreshControlStatuses, todayUtc } from '../controls/index.ts';
import {
  completeOccurrence,
  findProgramRules,
  findTask,
  findTaskIdByKey,
  stateOf,
} from '../tasks/index.ts';

/** The part of an audited write governance records are kept in. */
export type RecordScope = Pick<WriteScope, 'tx' | 'audit'>;

/** Who supplied a record: the user (if any) and how the record names them. */
export interface RecordSupplier {
  userId: string | null;
  label: string;
}

/**
 * Keep a governance record (a held review, a screening audit) as evidence of the org's task with
 * this key: a link to the record in Steward, effective for the given period, linked to the task's
 * control. When the period covers today and the task's occurrence is open, the occurrence is
 * completed and the next one scheduled. Returns null, recording nothing, when the org has no such
 * task (its program was never seeded).
 */
export async function recordTaskEvidence(
  scope: RecordScope,
  orgId: string,
  input: {
    taskKey: string;
    title: string;
    description: string;
    url: string;
    effectiveFrom: string;
    effectiveTo: string;
    supplier: RecordSupplier;
    now: Date;
  },
): Promise<{ evidenceId: string; isTaskCompleted: boolean } | null> {
  const { tx } = scope;
  const taskId = await findTaskIdByKey(tx, input.taskKey);
  if (taskId === undefined) return null;
  const task = await findTask(tx, taskId, { forUpdate: true });
  if (!task) return null;
  const id = randomUUID();
  await tx
    .insertInto('evidence')
    .values({
      id,
      org_id: orgId,
      lineage_id: id,
      version: 1,
      kind: 'link',
      title: input.title.slice(0, 300),
      description: input.description,
      check_result_id: null,
      file_sha256: null,
      file_name: null,
      media_type: null,
      url: input.url,
      collected_at: input.now,
      effective_from: input.effectiveFrom,
      effective_to: input.effectiveTo,
      supplied_by_user_id: input.supplier.userId,
      supplied_by: input.supplier.label,
      task_id: task.id,
    })
    .execute();
  await tx
    .insertInto('evidence_controls')
    .values({ org_id: orgId, evidence_id: id, control_id: task.control_id })
    .execute();
  await scope.audit({
    action: 'evidence.added',
    targetType: 'evidence',
    targetId: id,
    changes: {
      title: input.title,
      kind: 'link',
      lineageId: id,
      version: 1,
      url: input.url,
      collectedAt: input.now.toISOString(),
      effectiveFrom: input.effectiveFrom,
      effectiveTo: input.effectiveTo,
      controlIds: [task.control_id],
      taskId: task.id,
    },
  });
  const today = todayUtc(input.now);
  const rules = await findProgramRules(tx);
  let isTaskCompleted = false;
  if (
    task.is_active &&
    input.effectiveFrom <= today &&
    today <= input.effectiveTo &&
    stateOf(task, today, rules.taskDueWindowDays) !== 'done'
  ) {
    await completeOccurrence(scope, orgId, task, {
      evidenceIds: [id],
      note: '',
      completedBy: input.supplier,
      now: input.now,
      dueWindowDays: rules.taskDueWindowDays,
      trigger: 'evidence',
    });
    isTaskCompleted = true;
  }
  await refreshControlStatuses(scope, orgId, [task.control_id], { today });
  return { evidenceId: id, isTaskCompleted };
}

/** Controls that carry the org's task with this key (where a check about that work belongs). */
export async function findControlIdsOfTask(tx: Tx, taskKey: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('evidence_tasks')
    .select('control_id')
    .distinct()
    .where('key', '=', taskKey)
    .where('is_active', '=', true)
    .execute();
  return rows.map((r) => r.control_id);
}

/**
 * Record a check result, declaring the check first when the org does not have it yet: it then
 * proves the controls that carry the related task. Nothing is declared or recorded when no
 * control carries that task. Returns whether a result was recorded.
 */
export async function recordDeclaredCheck(
  scope: RecordScope,
  orgId: string,
  check: { key: string; name: string; description: string; taskKey: string },
  result: {
    status: 'pass' | 'fail';
    summary: string;
    details: Record<string, unknown>;
    observedAt: string;
  },
  supplierLabel: string,
): Promise<boolean> {
  const { tx } = scope;
  const existing = await tx
    .selectFrom('checks')
    .select('id')
    .where('key', '=', check.key)
    .executeTakeFirst();
  if (!existing) {
    const controlIds = await findControlIdsOfTask(tx, check.taskKey);
    if (controlIds.length === 0) return false;
    const row = await tx
      .insertInto('checks')
      .values({
        org_id: orgId,
        key: check.key,
        name: check.name,
        description: check.description,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('control_checks')
      .values(
        controlIds.map((controlId) => ({ org_id: orgId, control_id: controlId, check_id: row.id })),
      )
      .execute();
    await scope.audit({
      action: 'check.created',
      targetType: 'check',
      targetId: row.id,
      changes: { key: check.key, name: check.name, controlIds, declaredBy: supplierLabel },
    });
  }
  const recorded = await recordCheckResultIn(
    scope,
    orgId,
    { userId: null, label: supplierLabel },
    check.key,
    result,
    { onlyIfChanged: true },
  );
  return recorded !== null;
}
