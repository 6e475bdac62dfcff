import type { ControlStatus, Task } from '@steward/contracts';
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { TaskCompletionsTable } from '../../platform/db/schema.ts';
import type { TaskState } from '../controls/index.ts';

/** The program settings tasks and evidence read, with their defaults when never saved. */
export interface ProgramRules {
  evidenceRetentionDays: number;
  taskDueWindowDays: number;
  isDigestEnabled: boolean;
}

/** The org's program settings (defaults when the org never saved any). */
export async function findProgramRules(tx: Tx): Promise<ProgramRules> {
  const row = await tx
    .selectFrom('program_settings')
    .select(['evidence_retention_days', 'task_due_window_days', 'is_digest_enabled'])
    .executeTakeFirst();
  return {
    evidenceRetentionDays: row?.evidence_retention_days ?? 1095,
    taskDueWindowDays: row?.task_due_window_days ?? 30,
    isDigestEnabled: row?.is_digest_enabled ?? true,
  };
}

/** A task with its control and owner, as the API shows it. */
export interface TaskRow {
  id: string;
  control_id: string;
  control_ref: string;
  control_title: string;
  control_status: string;
  title: string;
  description: string;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  cadence_months: number;
  grace_days: number;
  next_due_on: string;
  state: string;
  last_completed_at: Date | null;
  last_reminded_on: string | null;
  is_active: boolean;
}

function selectTasks(tx: Tx) {
  return tx
    .selectFrom('evidence_tasks as t')
    .innerJoin('controls as c', 'c.id', 't.control_id')
    .leftJoin('users as u', 'u.id', 't.owner_id')
    .select([
      't.id',
      't.control_id',
      'c.ref as control_ref',
      'c.title as control_title',
      'c.status as control_status',
      't.title',
      't.description',
      't.owner_id',
      'u.name as owner_name',
      'u.email as owner_email',
      't.cadence_months',
      't.grace_days',
      't.next_due_on',
      't.state',
      't.last_completed_at',
      't.last_reminded_on',
      't.is_active',
    ]);
}

/** Map a task row to the API shape. */
export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    control: {
      id: row.control_id,
      ref: row.control_ref,
      title: row.control_title,
      status: row.control_status as ControlStatus,
    },
    owner:
      row.owner_id !== null
        ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' }
        : null,
    cadenceMonths: row.cadence_months,
    graceDays: row.grace_days,
    nextDueOn: row.next_due_on,
    state: row.state as TaskState,
    lastCompletedAt: row.last_completed_at?.toISOString() ?? null,
    isActive: row.is_active,
  };
}

/** Filters of the task list. */
export interface TaskFilters {
  ownerId?: string | undefined;
  state?: TaskState | undefined;
  controlId?: string | undefined;
  includeInactive?: boolean | undefined;
}

/** Tasks matching the filters, soonest due first. */
export async function findTasks(tx: Tx, filters: TaskFilters): Promise<TaskRow[]> {
  let query = selectTasks(tx);
  if (filters.ownerId !== undefined) query = query.where('t.owner_id', '=', filters.ownerId);
  if (filters.state !== undefined) query = query.where('t.state', '=', filters.state);
  if (filters.controlId !== undefined) query = query.where('t.control_id', '=', filters.controlId);
  if (filters.includeInactive !== true) query = query.where('t.is_active', '=', true);
  return query.orderBy('t.next_due_on').orderBy('t.title').orderBy('t.id').execute();
}

/** The id of the org's active evidence task with this key (the oldest), if its program has one. */
export async function findTaskIdByKey(tx: Tx, key: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('evidence_tasks')
    .select('id')
    .where('key', '=', key)
    .where('is_active', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.id;
}

/** One task, locked for the rest of the transaction when `forUpdate`. */
export async function findTask(
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<TaskRow | undefined> {
  let query = selectTasks(tx).where('t.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('t');
  return query.executeTakeFirst();
}

/** A task to insert. */
export interface NewTask {
  orgId: string;
  controlId: string;
  key?: string | null;
  title: string;
  description: string;
  ownerId: string | null;
  cadenceMonths: number;
  graceDays: number;
  nextDueOn: string;
  state: TaskState;
}

function toTaskColumns(values: NewTask) {
  return {
    org_id: values.orgId,
    control_id: values.controlId,
    key: values.key ?? null,
    title: values.title,
    description: values.description,
    owner_id: values.ownerId,
    cadence_months: values.cadenceMonths,
    grace_days: values.graceDays,
    next_due_on: values.nextDueOn,
    state: values.state,
  };
}

/** Insert a task; returns its id. */
export async function insertTask(tx: Tx, values: NewTask): Promise<string> {
  const row = await tx
    .insertInto('evidence_tasks')
    .values(toTaskColumns(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Insert many tasks at once (seeding a new org). */
export async function insertTasks(tx: Tx, rows: (NewTask & { key: string })[]): Promise<number> {
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('evidence_tasks')
      .values(rows.slice(i, i + 500).map(toTaskColumns))
      .execute();
  }
  return rows.length;
}

/** Change a task's columns. */
export async function updateTask(
  tx: Tx,
  id: string,
  values: {
    title?: string;
    description?: string;
    owner_id?: string | null;
    cadence_months?: number;
    grace_days?: number;
    next_due_on?: string;
    is_active?: boolean;
    state?: TaskState;
    last_completed_at?: Date;
    last_reminded_on?: string;
  },
): Promise<void> {
  await tx
    .updateTable('evidence_tasks')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Whether a control exists in the org. */
export async function hasControl(tx: Tx, id: string): Promise<boolean> {
  const row = await tx.selectFrom('controls').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Whether a user of the org may own work (exists and is not disabled). */
export async function findAssignableUser(
  tx: Tx,
  id: string,
): Promise<{ id: string; status: string } | undefined> {
  return tx.selectFrom('users').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
}

/** Evidence items by id, with whether they are deleted. */
export async function findEvidenceStates(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, { isDeleted: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('evidence')
    .select(['id', 'deleted_at'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { isDeleted: r.deleted_at !== null }]));
}

/** Link evidence items to a control (links already there are kept). */
export async function linkEvidenceToControl(
  tx: Tx,
  orgId: string,
  controlId: string,
  evidenceIds: readonly string[],
): Promise<void> {
  if (evidenceIds.length === 0) return;
  await tx
    .insertInto('evidence_controls')
    .values(evidenceIds.map((id) => ({ org_id: orgId, evidence_id: id, control_id: controlId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Record a completed occurrence. */
export async function insertCompletion(
  tx: Tx,
  values: {
    orgId: string;
    taskId: string;
    dueOn: string;
    completedAt: Date;
    completedByUserId: string | null;
    completedBy: string;
    evidenceIds: readonly string[];
    note: string;
  },
): Promise<Selectable<TaskCompletionsTable>> {
  return tx
    .insertInto('task_completions')
    .values({
      org_id: values.orgId,
      task_id: values.taskId,
      due_on: values.dueOn,
      completed_at: values.completedAt,
      completed_by_user_id: values.completedByUserId,
      completed_by: values.completedBy,
      evidence_ids: sql<string[]>`${[...values.evidenceIds]}::uuid[]`,
      note: values.note,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A task's completions, newest first. */
export async function findCompletions(
  tx: Tx,
  taskId: string,
): Promise<Selectable<TaskCompletionsTable>[]> {
  return tx
    .selectFrom('task_completions')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('completed_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Every task's inputs to its state, locked so a concurrent completion waits. */
export async function findTasksForStates(tx: Tx) {
  return tx
    .selectFrom('evidence_tasks')
    .select([
      'id',
      'control_id',
      'next_due_on',
      'grace_days',
      'last_completed_at',
      'is_active',
      'state',
    ])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Set the state of tasks (one statement per distinct state). */
export async function setTaskStates(
  tx: Tx,
  changes: readonly { id: string; state: TaskState }[],
): Promise<void> {
  const byState = new Map<TaskState, string[]>();
  for (const change of changes) {
    const ids = byState.get(change.state) ?? [];
    ids.push(change.id);
    byState.set(change.state, ids);
  }
  for (const [state, ids] of byState) {
    await tx
      .updateTable('evidence_tasks')
      .set({ state, updated_at: new Date() })
      .where('id', 'in', ids)
      .execute();
  }
}

/** Active tasks with an active owner, for reminders. */
export async function findRemindableTasks(tx: Tx): Promise<TaskRow[]> {
  return selectTasks(tx)
    .where('t.is_active', '=', true)
    .where('u.status', '=', 'active')
    .orderBy('t.next_due_on')
    .orderBy('t.id')
    .execute();
}

/** Controls of active owners that are failing or due (not archived), for the digest. */
export async function findAttentionControls(tx: Tx) {
  return tx
    .selectFrom('controls as c')
    .innerJoin('users as u', 'u.id', 'c.owner_id')
    .select([
      'c.id',
      'c.ref',
      'c.title',
      'c.status',
      'c.status_reason',
      'u.id as owner_id',
      'u.name as owner_name',
      'u.email as owner_email',
    ])
    .where('u.status', '=', 'active')
    .where('c.archived_at', 'is', null)
    .where('c.status', 'in', ['failing', 'due'])
    .orderBy('c.ref')
    .execute();
}

/** The org's name, for mail. */
export async function findOrgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? 'your organisation';
}
