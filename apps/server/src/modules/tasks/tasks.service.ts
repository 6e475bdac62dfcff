import type {
  Task,
  completeTaskSchema,
  createTaskSchema,
  taskDetailSchema,
  taskQuerySchema,
  updateTaskSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError, type FieldError } from '../../platform/errors/app-error.ts';
import {
  addDays,
  addMonths,
  deriveTaskState,
  refreshControlStatuses,
  todayUtc,
  type TaskState,
} from '../controls/index.ts';
import * as repo from './tasks.repo.ts';

/** A task with its completions. */
export type TaskDetail = z.infer<typeof taskDetailSchema>;

/** Who acts: the user (if any) and how the record names them. */
export interface Supplier {
  userId: string | null;
  label: string;
}

/** The transaction and audit log of the write a task change happens in. */
export type TaskScope = Pick<WriteScope, 'tx' | 'audit'>;

function invalid(path: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ path, message }]);
}

/** A task row's state on a day, by the status engine's rule. */
export function stateOf(
  task: {
    next_due_on: string;
    grace_days: number;
    last_completed_at: Date | null;
    is_active: boolean;
  },
  today: string,
  dueWindowDays: number,
): TaskState {
  return deriveTaskState(
    {
      nextDueOn: task.next_due_on,
      graceDays: task.grace_days,
      lastCompletedAt: task.last_completed_at,
      isActive: task.is_active,
    },
    today,
    dueWindowDays,
  );
}

/**
 * The next due date after completing an occurrence due on `dueOn`. The schedule keeps its rhythm
 * (the occurrence's due date plus the cadence) whether the work was done on time or a little
 * late. Two cases count from the completion day instead: work done before the occurrence's due
 * window opened (the evidence runs out a cadence after today, not after the old due date), and
 * work done so late that the regular date has already passed (the next occurrence would be
 * overdue the moment it starts).
 */
export function scheduleNextDue(input: {
  dueOn: string;
  cadenceMonths: number;
  today: string;
  dueWindowDays: number;
}): string {
  const isEarly = input.today < addDays(input.dueOn, -input.dueWindowDays);
  const regular = addMonths(isEarly ? input.today : input.dueOn, input.cadenceMonths);
  return regular > input.today ? regular : addMonths(input.today, input.cadenceMonths);
}

async function checkOwner(tx: Tx, ownerId: string | null): Promise<void> {
  if (ownerId === null) return;
  const user = await repo.findAssignableUser(tx, ownerId);
  if (!user) throw invalid('ownerId', 'No such user in this organisation');
  if (user.status === 'disabled') throw invalid('ownerId', 'This user is disabled');
}

async function findTaskOrFail(tx: Tx, id: string, forUpdate = false): Promise<repo.TaskRow> {
  const row = await repo.findTask(tx, id, { forUpdate });
  if (!row) throw new AppError('task.not_found');
  return row;
}

/** Tasks matching the filters; `mine` keeps those the caller owns. */
export async function listTasks(
  uow: UnitOfWork,
  callerId: string,
  query: z.output<typeof taskQuerySchema>,
): Promise<{ items: Task[] }> {
  const rows = await uow.read((tx) =>
    repo.findTasks(tx, {
      ownerId: query.mine === true ? callerId : undefined,
      state: query.state,
      controlId: query.controlId,
      includeInactive: query.includeInactive,
    }),
  );
  return { items: rows.map(repo.toTask) };
}

/** A task with its completions, newest first. */
export async function getTask(uow: UnitOfWork, id: string): Promise<TaskDetail> {
  return uow.read((tx) => readTaskDetail(tx, id));
}

async function readTaskDetail(tx: Tx, id: string): Promise<TaskDetail> {
  const task = await findTaskOrFail(tx, id);
  const completions = await repo.findCompletions(tx, id);
  return {
    task: repo.toTask(task),
    completions: completions.map((c) => ({
      id: c.id,
      dueOn: c.due_on,
      completedAt: c.completed_at.toISOString(),
      completedBy: c.completed_by,
      evidenceIds: c.evidence_ids,
      note: c.note,
    })),
  };
}

/** Create a recurring evidence task on a control; the control's status is recomputed. */
export async function createTask(
  uow: UnitOfWork,
  input: z.output<typeof createTaskSchema>,
): Promise<Task> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    if (!(await repo.hasControl(tx, input.controlId))) {
      throw invalid('controlId', 'No such control in this organisation');
    }
    await checkOwner(tx, input.ownerId);
    const rules = await repo.findProgramRules(tx);
    const state = deriveTaskState(
      {
        nextDueOn: input.nextDueOn,
        graceDays: input.graceDays,
        lastCompletedAt: null,
        isActive: true,
      },
      todayUtc(),
      rules.taskDueWindowDays,
    );
    const id = await repo.insertTask(tx, {
      orgId: uow.orgId,
      controlId: input.controlId,
      title: input.title,
      description: input.description,
      ownerId: input.ownerId,
      cadenceMonths: input.cadenceMonths,
      graceDays: input.graceDays,
      nextDueOn: input.nextDueOn,
      state,
    });
    await scope.audit({
      action: 'task.created',
      targetType: 'evidence_task',
      targetId: id,
      changes: {
        controlId: input.controlId,
        title: input.title,
        ownerId: input.ownerId,
        cadenceMonths: input.cadenceMonths,
        graceDays: input.graceDays,
        nextDueOn: input.nextDueOn,
        state,
      },
    });
    await refreshControlStatuses(scope, uow.orgId, [input.controlId]);
    return repo.toTask(await findTaskOrFail(tx, id));
  });
}

const updatableFields = {
  title: 'title',
  description: 'description',
  ownerId: 'owner_id',
  cadenceMonths: 'cadence_months',
  graceDays: 'grace_days',
  nextDueOn: 'next_due_on',
  isActive: 'is_active',
} as const;

/** Change a task; its state and its control's status are recomputed. */
export async function updateTask(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updateTaskSchema>,
): Promise<Task> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const before = await findTaskOrFail(tx, id, true);
    if (input.ownerId !== undefined && input.ownerId !== before.owner_id) {
      await checkOwner(tx, input.ownerId);
    }
    const values: Parameters<typeof repo.updateTask>[2] = {};
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, column] of Object.entries(updatableFields) as [
      keyof typeof updatableFields,
      (typeof updatableFields)[keyof typeof updatableFields],
    ][]) {
      const next = input[field];
      if (next === undefined || next === before[column]) continue;
      Object.assign(values, { [column]: next });
      changes[field] = { from: before[column], to: next };
    }
    const after = { ...before, ...values };
    const rules = await repo.findProgramRules(tx);
    const state = stateOf(after, todayUtc(), rules.taskDueWindowDays);
    if (state !== before.state) {
      values.state = state;
      changes.state = { from: before.state, to: state };
    }
    if (Object.keys(values).length > 0) await repo.updateTask(tx, id, values);
    await scope.audit({
      action: 'task.updated',
      targetType: 'evidence_task',
      targetId: id,
      changes,
    });
    await refreshControlStatuses(scope, uow.orgId, [before.control_id]);
    return repo.toTask(await findTaskOrFail(tx, id));
  });
}

/**
 * Record the completion of a task's current occurrence (due on its `next_due_on`) with evidence,
 * link that evidence to the task's control, schedule the next occurrence (scheduleNextDue) and
 * recompute the task's state; audited as `task.completed`. The caller refreshes the control's
 * status in the same transaction. `task` must have been read with a row lock.
 */
export async function completeOccurrence(
  scope: TaskScope,
  orgId: string,
  task: repo.TaskRow,
  input: {
    evidenceIds: readonly string[];
    note: string;
    completedBy: Supplier;
    now: Date;
    dueWindowDays: number;
    /** How the completion came about: an explicit request or evidence added for the task. */
    trigger: 'request' | 'evidence';
  },
): Promise<{ dueOn: string; nextDueOn: string; state: TaskState }> {
  const today = todayUtc(input.now);
  const dueOn = task.next_due_on;
  const nextDueOn = scheduleNextDue({
    dueOn,
    cadenceMonths: task.cadence_months,
    today,
    dueWindowDays: input.dueWindowDays,
  });
  const completion = await repo.insertCompletion(scope.tx, {
    orgId,
    taskId: task.id,
    dueOn,
    completedAt: input.now,
    completedByUserId: input.completedBy.userId,
    completedBy: input.completedBy.label,
    evidenceIds: input.evidenceIds,
    note: input.note,
  });
  await repo.linkEvidenceToControl(scope.tx, orgId, task.control_id, input.evidenceIds);
  const state = stateOf(
    { ...task, next_due_on: nextDueOn, last_completed_at: input.now },
    today,
    input.dueWindowDays,
  );
  await repo.updateTask(scope.tx, task.id, {
    next_due_on: nextDueOn,
    last_completed_at: input.now,
    state,
  });
  await scope.audit({
    action: 'task.completed',
    targetType: 'evidence_task',
    targetId: task.id,
    changes: {
      completionId: completion.id,
      dueOn,
      nextDueOn,
      state: { from: task.state, to: state },
      evidenceIds: [...input.evidenceIds],
      trigger: input.trigger,
    },
  });
  return { dueOn, nextDueOn, state };
}

/**
 * Complete the current occurrence of a task with evidence already added (each must exist and not
 * be deleted); the next occurrence is scheduled and the control's status recomputed.
 */
export async function completeTask(
  uow: UnitOfWork,
  supplier: Supplier,
  id: string,
  input: z.output<typeof completeTaskSchema>,
): Promise<TaskDetail> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const task = await findTaskOrFail(tx, id, true);
    const evidenceIds = [...new Set(input.evidenceIds)];
    const found = await repo.findEvidenceStates(tx, evidenceIds);
    const problems: FieldError[] = [];
    input.evidenceIds.forEach((evidenceId, index) => {
      const state = found.get(evidenceId);
      if (!state)
        problems.push({ path: `evidenceIds.${String(index)}`, message: 'No such evidence' });
      else if (state.isDeleted) {
        problems.push({
          path: `evidenceIds.${String(index)}`,
          message: 'This evidence was deleted',
        });
      }
    });
    if (problems.length > 0) {
      throw new AppError('request.invalid', 'Some evidence cannot complete this task', problems);
    }
    const rules = await repo.findProgramRules(tx);
    await completeOccurrence(scope, uow.orgId, task, {
      evidenceIds,
      note: input.note,
      completedBy: supplier,
      now: new Date(),
      dueWindowDays: rules.taskDueWindowDays,
      trigger: 'request',
    });
    await refreshControlStatuses(scope, uow.orgId, [task.control_id]);
    return readTaskDetail(tx, id);
  });
}
