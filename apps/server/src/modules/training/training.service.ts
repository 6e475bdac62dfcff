import type {
  createTrainingModuleSchema,
  createTrainingVersionSchema,
  publishTrainingResultSchema,
  TrainingCategory,
  trainingAssignmentSchema,
  trainingCompletionSchema,
  trainingCoverageReportSchema,
  trainingCoverageSchema,
  trainingModuleDetailSchema,
  trainingModuleSchema,
  trainingTemplateSchema,
  trainingVersionDetailSchema,
  trainingVersionSchema,
  updateTrainingModuleSchema,
  updateTrainingVersionSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { MemoisedRead, OrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import type { StoredQuiz } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { recordCheckResultIn, todayUtc } from '../controls/index.ts';
import { trainingModuleTemplates } from './training-modules.ts';
import { assertQuizValid } from './training-quiz.ts';
import { planAssignment } from './training-rules.ts';
import * as repo from './training.repo.ts';

type TrainingModule = z.infer<typeof trainingModuleSchema>;
/** A module with its versions, as the API answers it. */
export type ModuleDetail = z.infer<typeof trainingModuleDetailSchema>;
type TrainingVersion = z.infer<typeof trainingVersionSchema>;
type VersionDetail = z.infer<typeof trainingVersionDetailSchema>;
type Coverage = z.infer<typeof trainingCoverageSchema>;

/** Placeholder of the company's name in starter modules. */
export const companyPlaceholder = '{{company}}';

/** Check keys the training module reports (declared by the default controls). */
export const checkKeys = {
  completion: 'training.completion',
  secureDevelopment: 'training.secure_development_completion',
} as const;

/** Who the training module records check results as. */
export const checkSupplier = { userId: null, label: 'Steward training' };

function notFound(): AppError {
  return new AppError('training.module_not_found', 'No such training module');
}

function versionNotFound(): AppError {
  return new AppError('training.version_not_found', 'No such training module version');
}

function invalid(path: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ path, message }]);
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** Percent with one decimal; 100 when there is nobody to count. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

function toCoverage(row: repo.CoverageRow | undefined): Coverage {
  const audience = row?.audience ?? 0;
  const completed = row?.completed ?? 0;
  return {
    audience,
    completed,
    overdue: row?.overdue ?? 0,
    percent: percentOf(completed, audience),
  };
}

function toVersion(row: repo.VersionRow, users: Map<string, repo.UserRef>): TrainingVersion {
  return {
    id: row.id,
    moduleId: row.module_id,
    number: row.number,
    status: row.status,
    changeSummary: row.change_summary,
    hasQuiz: row.quiz !== null,
    questions: row.quiz?.questions.length ?? 0,
    createdAt: row.created_at.toISOString(),
    publishedAt: iso(row.published_at),
    publishedBy:
      row.published_by_user_id === null ? null : (users.get(row.published_by_user_id) ?? null),
  };
}

function toVersionDetail(
  row: repo.VersionRow,
  module: repo.ModuleRow,
  users: Map<string, repo.UserRef>,
): VersionDetail {
  return {
    ...toVersion(row, users),
    moduleTitle: module.title,
    body: row.body,
    quiz: row.quiz,
  };
}

async function loadModules(tx: Tx, id?: string): Promise<TrainingModule[]> {
  const rows = await repo.findModules(tx, id);
  const versions = await repo.findVersions(
    tx,
    rows.map((r) => r.id),
  );
  const coverage = await repo.findCoverage(
    tx,
    rows.filter((r) => r.archived_at === null),
    todayUtc(),
  );
  const users = await repo.findUsers(
    tx,
    versions.flatMap((v) => (v.published_by_user_id ? [v.published_by_user_id] : [])),
  );
  return rows.map((r) => {
    const published = versions.find((v) => v.module_id === r.id && v.status === 'published');
    const draft = versions.find((v) => v.module_id === r.id && v.status === 'draft');
    return {
      id: r.id,
      key: r.key,
      title: r.title,
      summary: r.summary,
      kind: r.kind,
      category: r.category,
      audience: r.audience as TrainingModule['audience'],
      audienceValues: r.audience_values,
      onboardingDays: r.onboarding_days,
      cadenceMonths: r.cadence_months,
      estimatedMinutes: r.estimated_minutes,
      externalUrl: r.external_url,
      templateKey: r.template_key,
      archivedAt: iso(r.archived_at),
      published: published ? toVersion(published, users) : null,
      draft: draft ? toVersion(draft, users) : null,
      coverage: toCoverage(coverage.get(r.id)),
    };
  });
}

async function loadDetail(tx: Tx, id: string): Promise<ModuleDetail> {
  const [module] = await loadModules(tx, id);
  if (!module) throw notFound();
  const versions = await repo.findVersions(tx, [id]);
  const users = await repo.findUsers(
    tx,
    versions.flatMap((v) => (v.published_by_user_id ? [v.published_by_user_id] : [])),
  );
  return { module, versions: versions.map((v) => toVersion(v, users)) };
}

/** The starter modules. */
export function listTemplates(): z.infer<typeof trainingTemplateSchema>[] {
  return trainingModuleTemplates.map((t) => ({
    key: t.key,
    title: t.title,
    summary: t.summary,
    estimatedMinutes: t.estimatedMinutes,
    questions: t.quiz.questions.length,
    passPercent: t.quiz.passPercent,
  }));
}

/** The module list as the API answers it. */
export interface ModuleList {
  items: TrainingModule[];
}

/**
 * Every module with its coverage, reused from `memo` until the org next changes or the day turns
 * (coverage depends on the day); no value when `ifNoneMatch` names the current one.
 */
export async function listModulesMemoised(
  uow: UnitOfWork,
  memo: OrgReadMemo<ModuleList>,
  ifNoneMatch?: string,
): Promise<MemoisedRead<ModuleList>> {
  return memo.read(uow, `modules ${todayUtc()}`, ifNoneMatch, async (tx) => ({
    items: await loadModules(tx),
  }));
}

/** A module with its versions, reused from `memo` as the list is. */
export async function getModuleMemoised(
  uow: UnitOfWork,
  memo: OrgReadMemo<ModuleDetail>,
  id: string,
  ifNoneMatch?: string,
): Promise<MemoisedRead<ModuleDetail>> {
  return memo.read(uow, `module ${id} ${todayUtc()}`, ifNoneMatch, (tx) => loadDetail(tx, id));
}

async function orgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? 'the company';
}

function keyTaken(key: string): AppError {
  return new AppError('training.key_taken', `Another training module already has the key ${key}`, [
    { path: 'key', message: 'Another training module already has this key' },
  ]);
}

/** Create a module from a starter template or blank, with its first draft. */
export async function createModule(
  uow: UnitOfWork,
  userId: string,
  input: z.output<typeof createTrainingModuleSchema>,
): Promise<ModuleDetail> {
  const template =
    input.templateKey === undefined
      ? undefined
      : trainingModuleTemplates.find((t) => t.key === input.templateKey);
  if (input.templateKey !== undefined && !template) {
    throw invalid('templateKey', `No starter module "${input.templateKey}"`);
  }
  const quiz: StoredQuiz | null =
    input.quiz !== undefined ? input.quiz : template ? structuredClone(template.quiz) : null;
  assertQuizValid(quiz);
  const key = input.key ?? template?.key.replace(/_/g, '-') ?? '';
  return uow.write(async ({ tx, audit }) => {
    if (await repo.findModuleByKey(tx, key)) throw keyTaken(key);
    const body =
      input.body ?? template?.body.replaceAll(companyPlaceholder, await orgName(tx)) ?? '';
    const module = await repo.insertModule(tx, {
      org_id: uow.orgId,
      key,
      title: input.title ?? template?.title ?? key,
      summary: input.summary ?? template?.summary ?? '',
      kind: input.kind,
      category: input.category ?? 'awareness',
      audience: input.audience,
      audience_values: input.audienceValues,
      onboarding_days: input.onboardingDays ?? 30,
      cadence_months: input.cadenceMonths ?? 12,
      estimated_minutes: input.estimatedMinutes ?? template?.estimatedMinutes ?? 15,
      external_url: input.externalUrl ?? null,
      template_key: template?.key ?? null,
    });
    const version = await repo.insertVersion(tx, {
      orgId: uow.orgId,
      moduleId: module.id,
      number: 1,
      body,
      quiz,
      changeSummary: template ? `From the starter module "${template.title}"` : '',
      createdByUserId: userId,
    });
    await audit({
      action: 'training.module_created',
      targetType: 'training_module',
      targetId: module.id,
      changes: {
        key,
        title: module.title,
        kind: module.kind,
        category: module.category,
        templateKey: module.template_key,
        audience: module.audience,
        audienceValues: module.audience_values,
        versionId: version.id,
        questions: quiz?.questions.length ?? 0,
      },
    });
    return loadDetail(tx, module.id);
  });
}

/** Change a module's settings; the checks follow (the audience may have changed). */
export async function updateModule(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updateTrainingModuleSchema>,
): Promise<ModuleDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const module = await repo.lockModule(tx, id);
    if (!module) throw notFound();
    if (module.archived_at !== null) throw archived();
    const audience = input.audience ?? module.audience;
    const audienceValues =
      input.audienceValues ?? (input.audience === 'everyone' ? [] : module.audience_values);
    if (audience !== 'everyone' && audienceValues.length === 0) {
      throw invalid('audienceValues', 'Name at least one');
    }
    const values = {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.summary === undefined ? {} : { summary: input.summary }),
      ...(input.category === undefined ? {} : { category: input.category }),
      ...(input.onboardingDays === undefined ? {} : { onboarding_days: input.onboardingDays }),
      ...(input.cadenceMonths === undefined ? {} : { cadence_months: input.cadenceMonths }),
      ...(input.estimatedMinutes === undefined
        ? {}
        : { estimated_minutes: input.estimatedMinutes }),
      ...(input.externalUrl === undefined ? {} : { external_url: input.externalUrl }),
      audience,
      audience_values: audience === 'everyone' ? [] : audienceValues,
    };
    await repo.updateModule(tx, id, values);
    await audit({
      action: 'training.module_updated',
      targetType: 'training_module',
      targetId: id,
      changes: { ...input },
    });
    await recordTrainingChecks(scope, uow.orgId);
    return loadDetail(tx, id);
  });
}

function archived(): AppError {
  return new AppError('training.archived', 'The training module is archived');
}

/** Archive a module: nobody is assigned it any more; its records stay. */
export async function archiveModule(uow: UnitOfWork, id: string): Promise<ModuleDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const module = await repo.lockModule(tx, id);
    if (!module) throw notFound();
    if (module.archived_at !== null) throw archived();
    await repo.updateModule(tx, id, { archived_at: new Date() });
    await audit({
      action: 'training.module_archived',
      targetType: 'training_module',
      targetId: id,
      changes: { key: module.key },
    });
    await recordTrainingChecks(scope, uow.orgId);
    return loadDetail(tx, id);
  });
}

async function lockVersion(
  tx: Tx,
  versionId: string,
): Promise<{ version: repo.VersionRow; module: repo.ModuleRow }> {
  const found = await repo.findVersion(tx, versionId);
  if (!found) throw versionNotFound();
  const module = await repo.lockModule(tx, found.module_id);
  if (!module) throw versionNotFound();
  const version = await repo.findVersion(tx, versionId);
  if (!version) throw versionNotFound();
  return { version, module };
}

function wrongState(version: repo.VersionRow, action: string): AppError {
  return new AppError(
    'training.version_state',
    `Version ${String(version.number)} is ${version.status}; it cannot be ${action}`,
  );
}

/** Start a new draft, copied from the latest version where a field is not given. */
export async function createVersion(
  uow: UnitOfWork,
  userId: string,
  moduleId: string,
  input: z.output<typeof createTrainingVersionSchema>,
): Promise<VersionDetail> {
  if (input.quiz !== undefined) assertQuizValid(input.quiz);
  return uow.write(async ({ tx, audit }) => {
    const module = await repo.lockModule(tx, moduleId);
    if (!module) throw notFound();
    if (module.archived_at !== null) throw archived();
    const versions = await repo.findVersions(tx, [moduleId]);
    if (versions.some((v) => v.status === 'draft')) {
      throw new AppError(
        'training.version_state',
        'The module already has a draft; edit or publish it first',
      );
    }
    const latest = versions[0];
    const row = await repo.insertVersion(tx, {
      orgId: uow.orgId,
      moduleId,
      number: (latest?.number ?? 0) + 1,
      body: input.body ?? latest?.body ?? '',
      quiz: input.quiz !== undefined ? input.quiz : (latest?.quiz ?? null),
      changeSummary: input.changeSummary,
      createdByUserId: userId,
    });
    await audit({
      action: 'training.version_created',
      targetType: 'training_version',
      targetId: row.id,
      changes: { moduleId, number: row.number, changeSummary: input.changeSummary },
    });
    return toVersionDetail(row, module, new Map());
  });
}

/** A version with its lesson and quiz (answers included: authors only). */
export async function getVersion(uow: UnitOfWork, versionId: string): Promise<VersionDetail> {
  return uow.read(async (tx) => {
    const version = await repo.findVersion(tx, versionId);
    if (!version) throw versionNotFound();
    const [module] = await repo.findModules(tx, version.module_id);
    if (!module) throw versionNotFound();
    const users = await repo.findUsers(
      tx,
      version.published_by_user_id ? [version.published_by_user_id] : [],
    );
    return toVersionDetail(version, module, users);
  });
}

/** Edit a draft. */
export async function updateVersion(
  uow: UnitOfWork,
  versionId: string,
  input: z.output<typeof updateTrainingVersionSchema>,
): Promise<VersionDetail> {
  if (input.quiz !== undefined) assertQuizValid(input.quiz);
  return uow.write(async ({ tx, audit }) => {
    const { version, module } = await lockVersion(tx, versionId);
    if (version.status !== 'draft') throw wrongState(version, 'edited');
    const row = await repo.updateVersion(tx, versionId, {
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.quiz === undefined ? {} : { quiz: input.quiz }),
      ...(input.changeSummary === undefined ? {} : { change_summary: input.changeSummary }),
    });
    await audit({
      action: 'training.version_updated',
      targetType: 'training_version',
      targetId: versionId,
      changes: {
        moduleId: module.id,
        number: version.number,
        ...(input.body === undefined ? {} : { bodyLength: input.body.length }),
        ...(input.quiz === undefined ? {} : { questions: input.quiz?.questions.length ?? 0 }),
        ...(input.changeSummary === undefined ? {} : { changeSummary: input.changeSummary }),
      },
    });
    return toVersionDetail(row, module, new Map());
  });
}

/**
 * Apply a module's assignment rules for everyone in its audience today: joiners and people who
 * never completed it, and refreshers coming due. Returns how many assignments were created.
 */
export async function assignModule(tx: Tx, orgId: string, module: repo.ModuleRow, today: string) {
  if (module.archived_at !== null) return 0;
  const published = await repo.findPublishedVersion(tx, module.id);
  if (!published) return 0;
  const rules = { onboardingDays: module.onboarding_days, cadenceMonths: module.cadence_months };
  const planned = (await repo.findSubjects(tx, module)).flatMap((s) => {
    const plan = planAssignment(
      rules,
      {
        startDate: s.start_date,
        lastCompletedOn: s.last_completed_on,
        hasOpenAssignment: s.has_open,
      },
      today,
    );
    return plan ? [{ personId: s.person_id, userId: s.user_id, ...plan }] : [];
  });
  return repo.insertAssignments(tx, orgId, module.id, planned);
}

/** Publish a draft: it supersedes the version in force and the audience is assigned. */
export async function publishVersion(
  uow: UnitOfWork,
  userId: string,
  versionId: string,
): Promise<z.infer<typeof publishTrainingResultSchema>> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const { version, module } = await lockVersion(tx, versionId);
    if (version.status !== 'draft') throw wrongState(version, 'published');
    if (module.archived_at !== null) throw archived();
    if (version.body.trim() === '' && module.kind === 'content') {
      throw invalid('body', 'Write the lesson before publishing it');
    }
    assertQuizValid(version.quiz);
    const now = new Date();
    const previous = await repo.findPublishedVersion(tx, module.id);
    if (previous) {
      await repo.updateVersion(tx, previous.id, { status: 'superseded', ended_at: now });
    }
    const row = await repo.updateVersion(tx, versionId, {
      status: 'published',
      published_at: now,
      published_by_user_id: userId,
    });
    const assigned = await assignModule(tx, uow.orgId, module, todayUtc(now));
    await audit({
      action: 'training.version_published',
      targetType: 'training_version',
      targetId: versionId,
      changes: {
        moduleId: module.id,
        number: version.number,
        supersededVersionId: previous?.id ?? null,
        questions: version.quiz?.questions.length ?? 0,
        assigned,
      },
    });
    await recordTrainingChecks(scope, uow.orgId, now);
    const users = await repo.findUsers(tx, [userId]);
    return { version: toVersion(row, users), assigned };
  });
}

/** Apply a module's assignment rules now. */
export async function assignNow(uow: UnitOfWork, moduleId: string): Promise<{ assigned: number }> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const module = await repo.lockModule(tx, moduleId);
    if (!module) throw notFound();
    if (module.archived_at !== null) throw archived();
    if (!(await repo.findPublishedVersion(tx, moduleId))) {
      throw new AppError(
        'training.version_state',
        'The module has no published version; publish one before assigning it',
      );
    }
    const assigned = await assignModule(tx, uow.orgId, module, todayUtc());
    await audit({
      action: 'training.assigned',
      targetType: 'training_module',
      targetId: moduleId,
      changes: { assigned, reason: 'rules applied on request' },
    });
    await recordTrainingChecks(scope, uow.orgId);
    return { assigned };
  });
}

/** Assignments of a module, optionally in one state. */
export async function listAssignments(
  uow: UnitOfWork,
  moduleId: string,
  state: 'pending' | 'overdue' | 'completed' | undefined,
): Promise<z.infer<typeof trainingAssignmentSchema>[]> {
  const today = todayUtc();
  return uow.read(async (tx) => {
    const [module] = await repo.findModules(tx, moduleId);
    if (!module) throw notFound();
    const rows = await repo.findAssignments(tx, moduleId);
    return rows
      .map((r) => ({
        id: r.id,
        moduleId: r.module_id,
        personId: r.person_id,
        userId: r.user_id,
        name: r.name ?? '',
        email: r.email,
        department: r.department,
        reason: r.reason,
        assignedAt: r.assigned_at.toISOString(),
        dueOn: r.due_on,
        state:
          r.completed_at !== null
            ? ('completed' as const)
            : r.due_on < today
              ? ('overdue' as const)
              : ('pending' as const),
        completedAt: iso(r.completed_at),
        score: r.score,
        method: r.method,
        versionNumber: r.version_number,
        attempts: r.attempts,
      }))
      .filter((a) => state === undefined || a.state === state);
  });
}

type CompletionWithName = Awaited<ReturnType<typeof repo.findCompletion>>;

/** A completion record as the API shows it. */
export function toCompletion(row: CompletionWithName): z.infer<typeof trainingCompletionSchema> {
  return {
    id: row.id,
    moduleId: row.module_id,
    versionId: row.version_id,
    versionNumber: row.version_number,
    personId: row.person_id,
    userId: row.user_id,
    name: row.name,
    completedAt: row.completed_at.toISOString(),
    score: row.score,
    method: row.method,
    evidenceId: row.evidence_id,
    externalRef: row.external_ref,
    recordedBy: row.recorded_by,
  };
}

/** Completion records of a module. */
export async function listCompletions(
  uow: UnitOfWork,
  moduleId: string,
): Promise<z.infer<typeof trainingCompletionSchema>[]> {
  return uow.read(async (tx) => {
    const [module] = await repo.findModules(tx, moduleId);
    if (!module) throw notFound();
    return (await repo.findCompletions(tx, moduleId)).map(toCompletion);
  });
}

/** The coverage report as the API answers it. */
export type CoverageReport = z.infer<typeof trainingCoverageReportSchema>;

/**
 * Coverage of every active module, per category and overall, reused from `memo` until the org
 * next changes or the day turns; no value when `ifNoneMatch` names the current one.
 */
export async function getCoverageMemoised(
  uow: UnitOfWork,
  memo: OrgReadMemo<CoverageReport>,
  ifNoneMatch?: string,
): Promise<MemoisedRead<CoverageReport>> {
  return memo.read(uow, `coverage ${todayUtc()}`, ifNoneMatch, (tx) => loadCoverageReport(tx));
}

async function loadCoverageReport(tx: Tx): Promise<CoverageReport> {
  const modules = (await repo.findModules(tx)).filter((m) => m.archived_at === null);
  const coverage = await repo.findCoverage(tx, modules, todayUtc());
  const sum = (list: readonly repo.ModuleRow[]): Coverage => {
    const rows = list.map((m) => coverage.get(m.id));
    const total = (pick: (r: repo.CoverageRow) => number) =>
      rows.reduce((n, r) => n + (r ? pick(r) : 0), 0);
    const audience = total((r) => r.audience);
    const completed = total((r) => r.completed);
    return {
      audience,
      completed,
      overdue: total((r) => r.overdue),
      percent: percentOf(completed, audience),
    };
  };
  const categories = (['awareness', 'secure_development', 'other'] as const)
    .map((category) => ({ category, list: modules.filter((m) => m.category === category) }))
    .filter((c) => c.list.length > 0)
    .map((c) => ({ category: c.category, coverage: sum(c.list) }));
  return {
    overall: sum(modules),
    categories,
    modules: modules.map((m) => ({
      id: m.id,
      key: m.key,
      title: m.title,
      category: m.category,
      coverage: toCoverage(coverage.get(m.id)),
    })),
  };
}

/** What one training check concludes. */
export interface TrainingCheckOutcome {
  status: 'pass' | 'fail';
  summary: string;
  details: Record<string, unknown>;
}

const categoryNames: Record<TrainingCategory, string> = {
  awareness: 'awareness',
  secure_development: 'secure development',
  other: 'other',
};

/**
 * Evaluate one category's check: every person in the audience of each published module of the
 * category completed it within its cadence, or is a joiner inside the onboarding window.
 */
export async function evaluateCategory(
  tx: Tx,
  category: TrainingCategory,
  today: string,
): Promise<TrainingCheckOutcome> {
  const modules = [];
  for (const m of await repo.findModules(tx)) {
    if (m.category !== category || m.archived_at !== null) continue;
    if (await repo.findPublishedVersion(tx, m.id)) modules.push(m);
  }
  const name = categoryNames[category];
  if (modules.length === 0) {
    return {
      status: 'fail',
      summary: `No ${name} training module is published`,
      details: { modules: 0 },
    };
  }
  const coverage = await repo.findCoverage(tx, modules, today);
  const short = [];
  let audience = 0;
  let compliant = 0;
  for (const m of modules) {
    const c = coverage.get(m.id);
    audience += c?.audience ?? 0;
    compliant += c?.compliant ?? 0;
    const missing = (c?.audience ?? 0) - (c?.compliant ?? 0);
    if (missing > 0) {
      short.push({
        key: m.key,
        title: m.title,
        missing,
        people: await repo.findNonCompliantNames(tx, m, today, 5),
      });
    }
  }
  if (short.length > 0) {
    const missing = short.reduce((n, s) => n + s.missing, 0);
    const first = short[0];
    const names = first
      ? `${first.title}: ${first.people.join(', ')}${first.missing > first.people.length ? ' and others' : ''}`
      : '';
    return {
      status: 'fail',
      summary: `${String(missing)} ${missing === 1 ? 'person has' : 'people have'} not completed ${name} training within the required time (${names})`,
      details: { modules: modules.length, audience, compliant, short },
    };
  }
  return {
    status: 'pass',
    summary: `Everyone in the audience of ${String(modules.length)} ${name} module${modules.length === 1 ? '' : 's'} completed it on time or is within their onboarding window`,
    details: { modules: modules.length, audience, compliant },
  };
}

/**
 * Record both training checks (when the org declared them) in the caller's write; a result equal
 * to today's latest is not recorded again. Control statuses follow through the controls module.
 */
export async function recordTrainingChecks(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const today = todayUtc(now);
  const observedAt = now.toISOString();
  const pairs = [
    [checkKeys.completion, 'awareness'],
    [checkKeys.secureDevelopment, 'secure_development'],
  ] as const;
  for (const [key, category] of pairs) {
    const check = await scope.tx
      .selectFrom('checks')
      .select('id')
      .where('key', '=', key)
      .executeTakeFirst();
    if (!check) continue;
    const outcome = await evaluateCategory(scope.tx, category, today);
    await recordCheckResultIn(
      scope,
      orgId,
      checkSupplier,
      key,
      { ...outcome, observedAt },
      { onlyIfChanged: true },
    );
  }
}
