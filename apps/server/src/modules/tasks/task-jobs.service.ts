import { sql } from 'kysely';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import {
  createUnitOfWork,
  type UnitOfWork,
  type WriteScope,
} from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { refreshControlStatuses, type TaskState } from '../controls/index.ts';
import * as repo from './tasks.repo.ts';
import { stateOf } from './tasks.service.ts';

/** What the scheduled task work needs. */
export interface TaskJobDeps {
  db: Db;
  auditWriter: AuditWriter;
}

/** The actor scheduled work is recorded as. */
export function systemActor(label: string): Actor {
  return {
    type: 'system',
    id: null,
    label,
    authMethod: 'system',
    requestId: null,
    ip: null,
    userAgent: null,
  };
}

/** Every organisation's id, oldest first (the only cross-tenant read the jobs make). */
export async function listOrgIds(db: Db): Promise<string[]> {
  const result = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(db);
  return result.rows.map((r) => r.id);
}

class NothingToWrite extends Error {}

/**
 * Run a write that may turn out to have nothing to change: `fn` returns null then, and the
 * transaction rolls back without an audit event instead of failing.
 */
export async function writeIfNeeded<T>(
  uow: UnitOfWork,
  fn: (scope: WriteScope) => Promise<T | null>,
): Promise<T | null> {
  try {
    return await uow.write(async (scope) => {
      const result = await fn(scope);
      if (result === null) throw new NothingToWrite();
      return result;
    });
  } catch (error) {
    if (error instanceof NothingToWrite) return null;
    throw error;
  }
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
