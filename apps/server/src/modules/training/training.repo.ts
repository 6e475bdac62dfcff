import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type {
  StoredQuiz,
  TrainingAssignmentsTable,
  TrainingCompletionsTable,
  TrainingModulesTable,
  TrainingModuleVersionsTable,
} from '../../platform/db/schema.ts';
import { findUserRefs, type UserRef } from '../../platform/db/user-refs.repo.ts';

/** Users of the org by id, and how a record names one. */
export { findUserRefs as findUsers, type UserRef };

/** A stored module. */
export type ModuleRow = Selectable<TrainingModulesTable>;

/** A stored module version. */
export type VersionRow = Selectable<TrainingModuleVersionsTable>;

/** A stored assignment. */
export type AssignmentRow = Selectable<TrainingAssignmentsTable>;

/** A stored completion record. */
export type CompletionRow = Selectable<TrainingCompletionsTable>;

/** Someone a module applies to: a person of the directory, or an unlinked Steward user. */
export interface SubjectRow {
  subject_id: string;
  person_id: string | null;
  user_id: string | null;
  start_date: string | null;
  last_completed_on: string | null;
  has_open: boolean;
}

/** Coverage counts of one module. */
export interface CoverageRow {
  module_id: string;
  audience: number;
  completed: number;
  compliant: number;
  overdue: number;
}

/** Modules of the org, by title; one when `id` is given. */
export async function findModules(tx: Tx, id?: string): Promise<ModuleRow[]> {
  let query = tx.selectFrom('training_modules').selectAll().orderBy('title').orderBy('id');
  if (id !== undefined) query = query.where('id', '=', id);
  return query.execute();
}

/** A module by key. */
export async function findModuleByKey(tx: Tx, key: string): Promise<ModuleRow | undefined> {
  return tx.selectFrom('training_modules').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Lock a module for a change of its versions or assignments (one writer at a time). */
export async function lockModule(tx: Tx, id: string): Promise<ModuleRow | undefined> {
  return tx
    .selectFrom('training_modules')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Insert a module. */
export async function insertModule(
  tx: Tx,
  values: {
    org_id: string;
    key: string;
    title: string;
    summary: string;
    kind: 'content' | 'external';
    category: 'awareness' | 'secure_development' | 'other';
    audience: string;
    audience_values: string[];
    onboarding_days: number;
    cadence_months: number;
    estimated_minutes: number;
    external_url: string | null;
    template_key: string | null;
  },
): Promise<ModuleRow> {
  return tx.insertInto('training_modules').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Change a module's columns. */
export async function updateModule(
  tx: Tx,
  id: string,
  values: Partial<{
    title: string;
    summary: string;
    category: 'awareness' | 'secure_development' | 'other';
    audience: string;
    audience_values: string[];
    onboarding_days: number;
    cadence_months: number;
    estimated_minutes: number;
    external_url: string | null;
    archived_at: Date;
  }>,
): Promise<void> {
  await tx
    .updateTable('training_modules')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Versions of modules, newest first per module. */
export async function findVersions(tx: Tx, moduleIds: readonly string[]): Promise<VersionRow[]> {
  if (moduleIds.length === 0) return [];
  return tx
    .selectFrom('training_module_versions')
    .selectAll()
    .where('module_id', 'in', moduleIds)
    .orderBy('module_id')
    .orderBy('number', 'desc')
    .execute();
}

/** A version by id. */
export async function findVersion(tx: Tx, id: string): Promise<VersionRow | undefined> {
  return tx
    .selectFrom('training_module_versions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The published version of a module, if any. */
export async function findPublishedVersion(
  tx: Tx,
  moduleId: string,
): Promise<VersionRow | undefined> {
  return tx
    .selectFrom('training_module_versions')
    .selectAll()
    .where('module_id', '=', moduleId)
    .where('status', '=', 'published')
    .executeTakeFirst();
}

/** Insert a draft version. */
export async function insertVersion(
  tx: Tx,
  values: {
    orgId: string;
    moduleId: string;
    number: number;
    body: string;
    quiz: StoredQuiz | null;
    changeSummary: string;
    createdByUserId: string | null;
  },
): Promise<VersionRow> {
  return tx
    .insertInto('training_module_versions')
    .values({
      org_id: values.orgId,
      module_id: values.moduleId,
      number: values.number,
      body: values.body,
      quiz: values.quiz === null ? null : JSON.stringify(values.quiz),
      change_summary: values.changeSummary,
      created_by_user_id: values.createdByUserId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Change a version's columns (the database refuses changes to a published version). */
export async function updateVersion(
  tx: Tx,
  id: string,
  values: Partial<{
    status: 'draft' | 'published' | 'superseded';
    body: string;
    quiz: StoredQuiz | null;
    change_summary: string;
    published_at: Date;
    published_by_user_id: string;
    ended_at: Date;
  }>,
): Promise<VersionRow> {
  const { quiz, ...rest } = values;
  return tx
    .updateTable('training_module_versions')
    .set({
      ...rest,
      ...(quiz === undefined ? {} : { quiz: quiz === null ? null : JSON.stringify(quiz) }),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The audience of a module as one SQL relation: active people of the directory (their Steward
 * account, if linked and active, carries the role), then active Steward users nobody in the
 * directory is linked to, whose start date is unknown.
 */
function audienceOf(module: ModuleRow) {
  const values = module.audience_values;
  const peopleFilter =
    module.audience === 'departments'
      ? sql`AND p.department = ANY(${values}::text[])`
      : module.audience === 'roles'
        ? sql`AND u.role = ANY(${values}::text[])`
        : sql``;
  const usersFilter =
    module.audience === 'departments'
      ? sql`AND false`
      : module.audience === 'roles'
        ? sql`AND u.role = ANY(${values}::text[])`
        : sql``;
  return sql`
    SELECT p.id AS person_id, u.id AS user_id, p.id AS subject_id, p.start_date
    FROM people p LEFT JOIN users u ON u.id = p.user_id AND u.status = 'active'
    WHERE p.status = 'active' ${peopleFilter}
    UNION ALL
    SELECT NULL::uuid, u.id, u.id, NULL::date
    FROM users u
    WHERE u.status = 'active'
      AND NOT EXISTS (SELECT 1 FROM people p WHERE p.user_id = u.id) ${usersFilter}`;
}

/** Everyone a module applies to, with their latest completion and whether one is open. */
export async function findSubjects(tx: Tx, module: ModuleRow): Promise<SubjectRow[]> {
  const result = await sql<SubjectRow>`
    SELECT a.subject_id, a.person_id, a.user_id, a.start_date::text AS start_date,
      (SELECT (max(c.completed_at) AT TIME ZONE 'UTC')::date::text FROM training_completions c
        WHERE c.module_id = ${module.id}::uuid AND c.subject_id = a.subject_id) AS last_completed_on,
      EXISTS (SELECT 1 FROM training_assignments x
        WHERE x.module_id = ${module.id}::uuid AND x.subject_id = a.subject_id
          AND x.completed_at IS NULL) AS has_open
    FROM (${audienceOf(module)}) a`.execute(tx);
  return result.rows;
}

/** Insert assignments in batches; returns how many were created. */
export async function insertAssignments(
  tx: Tx,
  orgId: string,
  moduleId: string,
  rows: readonly {
    personId: string | null;
    userId: string | null;
    reason: 'onboarding' | 'periodic' | 'manual';
    dueOn: string;
  }[],
): Promise<number> {
  let created = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    const result = await tx
      .insertInto('training_assignments')
      .values(
        batch.map((r) => ({
          org_id: orgId,
          module_id: moduleId,
          person_id: r.personId,
          user_id: r.userId,
          reason: r.reason,
          due_on: r.dueOn,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['module_id', 'subject_id']).where('completed_at', 'is', null).doNothing(),
      )
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return created;
}

// Whether subject `s` belongs to the audience of module `m` (the rules of `audienceOf`, as a
// predicate so one statement can count every module at once).
const inAudience = sql`(m.audience NOT IN ('departments', 'roles')
  OR (m.audience = 'departments' AND s.department = ANY(m.audience_values))
  OR (m.audience = 'roles' AND s.role = ANY(m.audience_values)))`;

/**
 * Coverage of modules for `today`: the audience, those whose last completion is within the
 * cadence, those compliant (completed within the cadence, or joiners inside their onboarding
 * window), and those with an assignment past its due date. One statement for every module:
 * audience sizes are counted once per distinct audience, completions come from the latest
 * completion kept per person and module, and only joiners and late assignments are probed.
 */
export async function findCoverage(
  tx: Tx,
  modules: readonly ModuleRow[],
  today: string,
): Promise<Map<string, CoverageRow>> {
  const out = new Map<string, CoverageRow>();
  if (modules.length === 0) return out;
  const ids = modules.map((m) => m.id);
  // The longest onboarding window a module may have (days): older start dates never count.
  const maxOnboardingDays = 365;
  const result = await sql<{
    module_id: string;
    audience: string;
    completed: string;
    compliant: string;
    overdue: string;
  }>`
    WITH m AS (
      SELECT id, audience, audience_values, cadence_months, onboarding_days
      FROM training_modules WHERE id = ANY(${ids}::uuid[])
    ), s AS (
      SELECT p.id AS subject_id, p.start_date, p.department, u.role
      FROM people p LEFT JOIN users u ON u.id = p.user_id AND u.status = 'active'
      WHERE p.status = 'active'
      UNION ALL
      SELECT u.id, NULL::date, NULL::text, u.role
      FROM users u
      WHERE u.status = 'active' AND NOT EXISTS (SELECT 1 FROM people p WHERE p.user_id = u.id)
    ), sized AS (
      SELECT m.audience, m.audience_values, count(s.subject_id) AS n
      FROM (SELECT DISTINCT audience, audience_values FROM m) m
      LEFT JOIN s ON ${inAudience}
      GROUP BY m.audience, m.audience_values
    ), done AS (
      -- The cadence filters the count, not the join, so the join is sized right.
      SELECT m.id AS module_id,
        count(*) FILTER (WHERE (l.last_completed_on
          + make_interval(months => m.cadence_months))::date >= ${today}::date) AS n
      FROM m
      JOIN training_latest_completions l ON l.module_id = m.id
      JOIN s ON s.subject_id = l.subject_id
      WHERE ${inAudience}
      GROUP BY m.id
    ), joiners AS (
      SELECT m.id AS module_id, count(*) AS n
      FROM m JOIN s ON s.start_date >= ${today}::date - ${maxOnboardingDays}::int
        AND s.start_date + m.onboarding_days >= ${today}::date
      -- Joiners are few: probe the index for each rather than hash every completion.
      LEFT JOIN LATERAL (SELECT true AS found FROM training_latest_completions l
        WHERE l.module_id = m.id AND l.subject_id = s.subject_id LIMIT 1) c ON true
      WHERE ${inAudience} AND c.found IS NULL
      GROUP BY m.id
    ), late AS (
      SELECT m.id AS module_id, count(DISTINCT a.subject_id) AS n
      FROM training_assignments a
      JOIN m ON m.id = a.module_id
      JOIN s ON s.subject_id = a.subject_id
      WHERE a.completed_at IS NULL AND a.due_on < ${today}::date AND ${inAudience}
        AND NOT EXISTS (SELECT 1 FROM training_latest_completions l
          WHERE l.module_id = m.id AND l.subject_id = a.subject_id
            AND (l.last_completed_on + make_interval(months => m.cadence_months))::date
              >= ${today}::date)
      GROUP BY m.id
    )
    SELECT m.id AS module_id, sized.n AS audience, coalesce(done.n, 0) AS completed,
      coalesce(done.n, 0) + coalesce(joiners.n, 0) AS compliant, coalesce(late.n, 0) AS overdue
    FROM m
    JOIN sized ON sized.audience = m.audience AND sized.audience_values = m.audience_values
    LEFT JOIN done ON done.module_id = m.id
    LEFT JOIN joiners ON joiners.module_id = m.id
    LEFT JOIN late ON late.module_id = m.id`.execute(tx);
  for (const row of result.rows) {
    out.set(row.module_id, {
      module_id: row.module_id,
      audience: Number(row.audience),
      completed: Number(row.completed),
      compliant: Number(row.compliant),
      overdue: Number(row.overdue),
    });
  }
  return out;
}

/** Names of people of a module's audience who do not keep the promise today (at most `limit`). */
export async function findNonCompliantNames(
  tx: Tx,
  module: ModuleRow,
  today: string,
  limit: number,
): Promise<string[]> {
  const result = await sql<{ name: string }>`
    SELECT coalesce(p.display_name, u.name) AS name
    FROM (${audienceOf(module)}) a
    LEFT JOIN people p ON p.id = a.person_id
    LEFT JOIN users u ON u.id = a.user_id
    LEFT JOIN training_latest_completions l
      ON l.module_id = ${module.id}::uuid AND l.subject_id = a.subject_id
    WHERE NOT coalesce((l.last_completed_on
        + make_interval(months => ${module.cadence_months}))::date >= ${today}::date, false)
      AND NOT (a.start_date IS NOT NULL AND a.start_date + ${module.onboarding_days}::int >= ${today}::date
        AND l.subject_id IS NULL)
    ORDER BY 1
    LIMIT ${limit}`.execute(tx);
  return result.rows.map((r) => r.name);
}

/** One assignment with who it is for and how it was completed, as the program lists it. */
export interface AssignmentListRow {
  id: string;
  module_id: string;
  person_id: string | null;
  user_id: string | null;
  name: string | null;
  email: string | null;
  department: string | null;
  reason: 'onboarding' | 'periodic' | 'manual';
  assigned_at: Date;
  due_on: string;
  completed_at: Date | null;
  score: number | null;
  method: 'quiz' | 'read' | 'upload' | 'csv' | 'api' | null;
  version_number: number | null;
  attempts: number;
}

/** Assignments of a module, open ones first by due date. */
export async function findAssignments(tx: Tx, moduleId: string): Promise<AssignmentListRow[]> {
  const rows = await tx
    .selectFrom('training_assignments as a')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('training_completions as c', 'c.id', 'a.completion_id')
    .leftJoin('training_module_versions as v', 'v.id', 'c.version_id')
    .select((eb) => [
      'a.id',
      'a.module_id',
      'a.person_id',
      'a.user_id',
      sql<string | null>`coalesce(p.display_name, u.name)`.as('name'),
      sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      'p.department',
      'a.reason',
      'a.assigned_at',
      'a.due_on',
      'a.completed_at',
      'c.score',
      'c.method',
      'v.number as version_number',
      eb
        .selectFrom('training_attempts as t')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('t.assignment_id', '=', 'a.id')
        .as('attempts'),
    ])
    .where('a.module_id', '=', moduleId)
    .orderBy(sql`a.completed_at IS NOT NULL`)
    .orderBy('a.due_on')
    .orderBy('a.id')
    .limit(5000)
    .execute();
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts ?? 0) }));
}

function selectCompletions(tx: Tx) {
  return tx
    .selectFrom('training_completions as c')
    .innerJoin('training_module_versions as v', 'v.id', 'c.version_id')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .selectAll('c')
    .select([
      'v.number as version_number',
      sql<string>`coalesce(p.display_name, u.name, '')`.as('name'),
    ]);
}

/** Completion records of a module, newest first. */
export async function findCompletions(tx: Tx, moduleId: string) {
  return selectCompletions(tx)
    .where('c.module_id', '=', moduleId)
    .orderBy('c.completed_at', 'desc')
    .orderBy('c.id')
    .limit(5000)
    .execute();
}

/** A completion with its version number and the person's name. */
export async function findCompletion(tx: Tx, id: string) {
  return selectCompletions(tx).where('c.id', '=', id).executeTakeFirstOrThrow();
}

/** Insert a completion record. */
export async function insertCompletion(
  tx: Tx,
  values: {
    org_id: string;
    module_id: string;
    version_id: string;
    person_id: string | null;
    user_id: string | null;
    assignment_id: string | null;
    completed_at: Date;
    score: number | null;
    method: 'quiz' | 'read' | 'upload' | 'csv' | 'api';
    evidence_id: string | null;
    external_ref: string | null;
    recorded_by: string;
    recorded_by_user_id: string | null;
  },
): Promise<CompletionRow> {
  return tx
    .insertInto('training_completions')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Close a person's open assignment of a module with a completion; returns its id, if any. */
export async function closeOpenAssignment(
  tx: Tx,
  moduleId: string,
  subjectId: string,
  completion: { id: string; completedAt: Date },
): Promise<string | null> {
  const row = await tx
    .updateTable('training_assignments')
    .set({ completed_at: completion.completedAt, completion_id: completion.id })
    .where('module_id', '=', moduleId)
    .where('subject_id', '=', subjectId)
    .where('completed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A signed-in user's assignments (as themselves or as their person in the directory). */
export async function findMyAssignments(tx: Tx, userId: string, assignmentId?: string) {
  let query = tx
    .selectFrom('training_assignments as a')
    .innerJoin('training_modules as m', 'm.id', 'a.module_id')
    .leftJoin('training_completions as c', 'c.id', 'a.completion_id')
    .select((eb) => [
      'a.id',
      'a.module_id',
      'a.person_id',
      'a.user_id',
      'a.subject_id',
      'a.due_on',
      'a.completed_at',
      'm.title',
      'm.summary',
      'm.kind',
      'm.estimated_minutes',
      'm.external_url',
      'm.archived_at',
      'c.score',
      'c.version_id as completed_version_id',
      eb
        .selectFrom('training_attempts as t')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('t.assignment_id', '=', 'a.id')
        .as('attempts'),
      eb
        .selectFrom('training_attempts as t')
        .select('t.score')
        .whereRef('t.assignment_id', '=', 'a.id')
        .orderBy('t.attempted_at', 'desc')
        .limit(1)
        .as('last_score'),
    ])
    .where((eb) =>
      eb.or([
        eb('a.user_id', '=', userId),
        eb(
          'a.person_id',
          'in',
          eb.selectFrom('people as p').select('p.id').where('p.user_id', '=', userId),
        ),
      ]),
    );
  if (assignmentId !== undefined) {
    query = query.where('a.id', '=', assignmentId);
  } else {
    query = query.where((eb) =>
      eb.or([
        eb('a.completed_at', 'is', null),
        eb('a.completed_at', '>', sql<Date>`now() - interval '400 days'`),
      ]),
    );
  }
  const rows = await query
    .orderBy(sql`a.completed_at IS NOT NULL`)
    .orderBy('a.due_on')
    .orderBy('m.title')
    .execute();
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts ?? 0) }));
}

/** Lock one assignment. */
export async function lockAssignment(tx: Tx, id: string): Promise<AssignmentRow | undefined> {
  return tx
    .selectFrom('training_assignments')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Record a quiz attempt. */
export async function insertAttempt(
  tx: Tx,
  values: {
    orgId: string;
    moduleId: string;
    versionId: string;
    assignmentId: string;
    userId: string;
    answers: Record<string, string[]>;
    score: number;
    isPassed: boolean;
  },
): Promise<void> {
  await tx
    .insertInto('training_attempts')
    .values({
      org_id: values.orgId,
      module_id: values.moduleId,
      version_id: values.versionId,
      assignment_id: values.assignmentId,
      user_id: values.userId,
      answers: JSON.stringify(values.answers),
      score: values.score,
      is_passed: values.isPassed,
    })
    .execute();
}

/** People and unlinked users by lower-cased email, for recording external completions. */
export async function findSubjectsByEmail(
  tx: Tx,
  emails: readonly string[],
): Promise<Map<string, { personId: string | null; userId: string | null }[]>> {
  const out = new Map<string, { personId: string | null; userId: string | null }[]>();
  if (emails.length === 0) return out;
  const list = [...new Set(emails)];
  const result = await sql<{ email: string; person_id: string | null; user_id: string | null }>`
    SELECT p.email, p.id AS person_id, p.user_id FROM people p
    WHERE p.email = ANY(${list}::text[]) AND p.status <> 'departed'
    UNION ALL
    SELECT lower(u.email), NULL, u.id FROM users u
    WHERE lower(u.email) = ANY(${list}::text[])
      AND NOT EXISTS (SELECT 1 FROM people p WHERE p.user_id = u.id)`.execute(tx);
  for (const r of result.rows) {
    out.set(r.email, [...(out.get(r.email) ?? []), { personId: r.person_id, userId: r.user_id }]);
  }
  return out;
}

/** External references already recorded for modules. */
export async function findExternalRefs(tx: Tx, refs: readonly string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await tx
    .selectFrom('training_completions')
    .select(['module_id', 'external_ref'])
    .where('external_ref', 'in', [...new Set(refs)])
    .execute();
  return new Set(rows.map((r) => `${r.module_id}\n${r.external_ref ?? ''}`));
}

/** Open assignments due for a reminder or an escalation today, with whom to mail. */
export async function findRemindable(tx: Tx, today: string, reminderDays: number) {
  const result = await sql<{
    id: string;
    module_id: string;
    title: string;
    due_on: string;
    last_reminded_on: string | null;
    escalated_on: string | null;
    name: string;
    email: string | null;
    manager_name: string | null;
    manager_email: string | null;
  }>`
    SELECT a.id, a.module_id, m.title, a.due_on::text AS due_on,
      a.last_reminded_on::text AS last_reminded_on, a.escalated_on::text AS escalated_on,
      coalesce(p.display_name, u.name) AS name, coalesce(p.email, u.email) AS email,
      mp.display_name AS manager_name, mp.email AS manager_email
    FROM training_assignments a
    JOIN training_modules m ON m.id = a.module_id AND m.archived_at IS NULL
    LEFT JOIN people p ON p.id = a.person_id
    LEFT JOIN users u ON u.id = a.user_id
    LEFT JOIN people mp ON mp.id = p.manager_id AND mp.status <> 'departed'
    WHERE a.completed_at IS NULL
      AND a.due_on <= ${today}::date + ${reminderDays}::int
      AND (p.id IS NULL OR p.status = 'active')
      AND (a.person_id IS NOT NULL OR u.status = 'active')
    ORDER BY a.due_on, a.id`.execute(tx);
  return result.rows;
}

/** Note that an assignment was reminded or escalated today. */
export async function markReminded(
  tx: Tx,
  ids: readonly string[],
  column: 'last_reminded_on' | 'escalated_on',
  today: string,
): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('training_assignments')
    .set({ [column]: today })
    .where('id', 'in', ids)
    .execute();
}

/** The org's name, for mail. */
export async function findOrgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? 'your organisation';
}
