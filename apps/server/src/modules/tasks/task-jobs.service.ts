import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { systemActor, writeIfNeeded } from '../../platform/jobs/org-sweep-helpers.ts';
import { refreshControlStatuses, type TaskState } from '../controls/index.ts';
import * as repo from './tasks.repo.ts';
import { stateOf } from './tasks.service.ts';

/** What the scheduled task work needs. */
export interface TaskJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

/**
 * Recompute the state of every task of an org as of `today`; tasks whose state changed are
 * updated and audited (`task.updated` with the state change). When a task became overdue, every
 * control's status is refreshed. Nothing is written when no state changed. Returns the changes.
 */
export async function refreshTaskStates(
  deps: TaskJobDeps,
  orgId: string,
  today: string,
): Promise<{ id: string; from: string; to: TaskState }[]> {
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId,
    actor: systemActor('tasks.refresh-states'),
  });
  const changes = await writeIfNeeded(uow, async (scope) => {
    const rules = await repo.findProgramRules(scope.tx);
    const tasks = await repo.findTasksForStates(scope.tx);
    const changed = tasks.flatMap((task) => {
      const to = stateOf(task, today, rules.taskDueWindowDays);
      return to === task.state ? [] : [{ id: task.id, from: task.state, to }];
    });
    if (changed.length === 0) return null;
    await repo.setTaskStates(
      scope.tx,
      changed.map((c) => ({ id: c.id, state: c.to })),
    );
    for (const change of changed) {
      await scope.audit({
        action: 'task.updated',
        targetType: 'evidence_task',
        targetId: change.id,
        changes: { state: { from: change.from, to: change.to } },
      });
    }
    if (changed.some((c) => c.to === 'overdue')) {
      await refreshControlStatuses(scope, orgId, 'all', { today });
    }
    return changed;
  });
  return changes ?? [];
}
