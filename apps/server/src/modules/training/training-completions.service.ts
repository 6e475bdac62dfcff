import type {
  myTrainingDetailSchema,
  myTrainingSchema,
  quizResultSchema,
  trainingCompletionSchema,
  trainingImportResultSchema,
  uploadTrainingCompletionFieldsSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { ReceivedFile } from '../../platform/http/multipart.ts';
import { todayUtc } from '../controls/index.ts';
import { addEvidence, type EvidenceServiceDeps } from '../evidence/index.ts';
import type { CompletionInput } from './training-csv.ts';
import { gradeQuiz, toLearnerQuiz } from './training-quiz.ts';
import { recordTrainingChecks, toCompletion } from './training.service.ts';
import * as repo from './training.repo.ts';

type MyTraining = z.infer<typeof myTrainingSchema>;
type ImportResult = z.infer<typeof trainingImportResultSchema>;

/** Who records a completion. */
export interface Recorder {
  userId: string | null;
  label: string;
}

function assignmentNotFound(): AppError {
  return new AppError('training.assignment_not_found', 'No such training assignment of yours');
}

type MyRow = Awaited<ReturnType<typeof repo.findMyAssignments>>[number];

function toMyTraining(row: MyRow, hasQuiz: boolean, today: string): MyTraining {
  return {
    assignmentId: row.id,
    moduleId: row.module_id,
    title: row.title,
    summary: row.summary,
    kind: row.kind,
    estimatedMinutes: row.estimated_minutes,
    externalUrl: row.external_url,
    dueOn: row.due_on,
    isOverdue: row.completed_at === null && row.due_on < today,
    hasQuiz,
    completedAt: row.completed_at === null ? null : row.completed_at.toISOString(),
    score: row.score,
    attempts: row.attempts,
    lastScore: row.last_score ?? null,
  };
}

async function quizFlags(tx: Tx, rows: readonly MyRow[]): Promise<Map<string, boolean>> {
  const versions = await repo.findVersions(tx, [...new Set(rows.map((r) => r.module_id))]);
  const out = new Map<string, boolean>();
  for (const v of versions) {
    if (v.status === 'published') out.set(v.module_id, v.quiz !== null);
  }
  return out;
}

/** The signed-in person's open training and what they completed this past year. */
export async function listMyTraining(uow: UnitOfWork, userId: string): Promise<MyTraining[]> {
  const today = todayUtc();
  return uow.read(async (tx) => {
    const rows = (await repo.findMyAssignments(tx, userId)).filter(
      (r) => r.completed_at !== null || r.archived_at === null,
    );
    const flags = await quizFlags(tx, rows);
    return rows.map((r) => toMyTraining(r, flags.get(r.module_id) ?? false, today));
  });
}

async function findMine(tx: Tx, userId: string, assignmentId: string): Promise<MyRow> {
  const [row] = await repo.findMyAssignments(tx, userId, assignmentId);
  if (!row) throw assignmentNotFound();
  return row;
}

/** A module to take: its lesson and quiz, never the correct answers. */
export async function getMyTraining(
  uow: UnitOfWork,
  userId: string,
  assignmentId: string,
): Promise<z.infer<typeof myTrainingDetailSchema>> {
  const today = todayUtc();
  return uow.read(async (tx) => {
    const row = await findMine(tx, userId, assignmentId);
    // A completed assignment shows the version completed; an open one the version in force.
    const version =
      row.completed_version_id !== null
        ? await repo.findVersion(tx, row.completed_version_id)
        : await repo.findPublishedVersion(tx, row.module_id);
    return {
      ...toMyTraining(row, version?.quiz != null, today),
      versionId: version?.id ?? null,
      versionNumber: version?.number ?? null,
      body: version?.body ?? '',
      quiz: version?.quiz ? toLearnerQuiz(version.quiz) : null,
    };
  });
}

/**
 * Record a completion in the caller's write and close the person's open assignment of the module
 * with it. Returns the completion record.
 */
export async function recordCompletionIn(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  input: {
    module: repo.ModuleRow;
    versionId: string;
    personId: string | null;
    userId: string | null;
    completedAt: Date;
    score: number | null;
    method: 'quiz' | 'read' | 'upload' | 'csv' | 'api';
    evidenceId: string | null;
    externalRef: string | null;
    recorder: Recorder;
    audited: boolean;
  },
): Promise<repo.CompletionRow> {
  const { tx } = scope;
  const subjectId = input.personId ?? input.userId ?? '';
  const open = await tx
    .selectFrom('training_assignments')
    .select('id')
    .where('module_id', '=', input.module.id)
    .where('subject_id', '=', subjectId)
    .where('completed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  const completion = await repo.insertCompletion(tx, {
    org_id: orgId,
    module_id: input.module.id,
    version_id: input.versionId,
    person_id: input.personId,
    user_id: input.userId,
    assignment_id: open?.id ?? null,
    completed_at: input.completedAt,
    score: input.score,
    method: input.method,
    evidence_id: input.evidenceId,
    external_ref: input.externalRef,
    recorded_by: input.recorder.label,
    recorded_by_user_id: input.recorder.userId,
  });
  if (open) {
    await repo.closeOpenAssignment(tx, input.module.id, subjectId, {
      id: completion.id,
      completedAt: input.completedAt,
    });
  }
  if (input.audited) {
    await scope.audit({
      action: 'training.completed',
      targetType: 'training_module',
      targetId: input.module.id,
      changes: {
        completionId: completion.id,
        versionId: input.versionId,
        personId: input.personId,
        userId: input.userId,
        assignmentId: open?.id ?? null,
        completedAt: input.completedAt.toISOString(),
        score: input.score,
        method: input.method,
        evidenceId: input.evidenceId,
        externalRef: input.externalRef,
      },
    });
  }
  return completion;
}

async function openAssignmentFor(
  tx: Tx,
  userId: string,
  assignmentId: string,
): Promise<{ row: MyRow; module: repo.ModuleRow; version: repo.VersionRow }> {
  const row = await findMine(tx, userId, assignmentId);
  const module = await repo.lockModule(tx, row.module_id);
  if (!module) throw assignmentNotFound();
  // Lock the assignment so two submissions cannot both complete it.
  const locked = await repo.lockAssignment(tx, assignmentId);
  if (!locked) throw assignmentNotFound();
  if (locked.completed_at !== null) {
    throw new AppError(
      'training.already_completed',
      `You completed "${module.title}" on ${todayUtc(locked.completed_at)}`,
    );
  }
  if (module.archived_at !== null) {
    throw new AppError('training.archived', `"${module.title}" is no longer assigned`);
  }
  if (module.kind === 'external') {
    throw new AppError(
      'training.external_completion',
      `"${module.title}" is taken in an external learning system; your completion is recorded from there`,
    );
  }
  const version = await repo.findPublishedVersion(tx, module.id);
  if (!version) throw new AppError('training.version_state', 'The module has no published version');
  return { row: { ...row, completed_at: null }, module, version };
}

/**
 * Grade a quiz attempt on the server. Every attempt is recorded; a pass completes the training
 * (method quiz, with the score). Which answers were right is told only after a pass, so the quiz
 * cannot be solved by trying one answer at a time.
 */
export async function submitQuiz(
  uow: UnitOfWork,
  userId: string,
  label: string,
  assignmentId: string,
  answers: Record<string, string[]>,
): Promise<z.infer<typeof quizResultSchema>> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const { row, module, version } = await openAssignmentFor(tx, userId, assignmentId);
    if (!version.quiz) {
      throw new AppError(
        'training.no_quiz',
        `"${module.title}" has no quiz; confirm you read it instead`,
      );
    }
    const grade = gradeQuiz(version.quiz, answers);
    await repo.insertAttempt(tx, {
      orgId: uow.orgId,
      moduleId: module.id,
      versionId: version.id,
      assignmentId,
      userId,
      answers,
      score: grade.score,
      isPassed: grade.isPassed,
    });
    await audit({
      action: 'training.quiz_attempted',
      targetType: 'training_module',
      targetId: module.id,
      changes: {
        assignmentId,
        versionId: version.id,
        score: grade.score,
        passPercent: version.quiz.passPercent,
        isPassed: grade.isPassed,
      },
    });
    const now = new Date();
    let completion: repo.CompletionRow | null = null;
    if (grade.isPassed) {
      completion = await recordCompletionIn(scope, uow.orgId, {
        module,
        versionId: version.id,
        personId: row.person_id,
        userId: row.user_id ?? userId,
        completedAt: now,
        score: grade.score,
        method: 'quiz',
        evidenceId: null,
        externalRef: null,
        recorder: { userId, label },
        audited: true,
      });
      await recordTrainingChecks(scope, uow.orgId, now);
    }
    const [after] = await repo.findMyAssignments(tx, userId, assignmentId);
    const training = toMyTraining(after ?? row, true, todayUtc(now));
    return {
      score: grade.score,
      passPercent: version.quiz.passPercent,
      isPassed: grade.isPassed,
      correct: grade.correct,
      total: grade.total,
      review: completion ? grade.perQuestion : [],
      training,
    };
  });
}

/** Confirm having read a module that has no quiz. */
export async function completeMyTraining(
  uow: UnitOfWork,
  userId: string,
  label: string,
  assignmentId: string,
): Promise<MyTraining> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const { row, module, version } = await openAssignmentFor(tx, userId, assignmentId);
    if (version.quiz) {
      throw new AppError(
        'training.quiz_required',
        `"${module.title}" has a quiz: pass it to complete the training`,
      );
    }
    const now = new Date();
    await recordCompletionIn(scope, uow.orgId, {
      module,
      versionId: version.id,
      personId: row.person_id,
      userId: row.user_id ?? userId,
      completedAt: now,
      score: null,
      method: 'read',
      evidenceId: null,
      externalRef: null,
      recorder: { userId, label },
      audited: true,
    });
    await recordTrainingChecks(scope, uow.orgId, now);
    const [after] = await repo.findMyAssignments(tx, userId, assignmentId);
    return toMyTraining(after ?? row, false, todayUtc(now));
  });
}

async function findSubjectByEmail(
  tx: Tx,
  email: string,
): Promise<{ personId: string | null; userId: string | null }> {
  const found = (await repo.findSubjectsByEmail(tx, [email])).get(email) ?? [];
  const [only] = found;
  if (!only) {
    throw new AppError(
      'request.invalid',
      `Nobody in the people directory or among users has the email ${email}`,
      [{ path: 'email', message: 'No person or user has this email' }],
    );
  }
  if (found.length > 1) {
    throw new AppError('request.invalid', `Several people have the email ${email}`, [
      { path: 'email', message: 'Several people have this email' },
    ]);
  }
  return only;
}

function notExternal(module: repo.ModuleRow): AppError {
  return new AppError(
    'training.not_external',
    `"${module.title}" is taken in Steward; its completions come from its quiz or reading`,
  );
}

/**
 * Record an external completion with its certificate: the file becomes evidence (stored once by
 * its SHA-256) in the same transaction as the completion record.
 */
export async function uploadCompletion(
  deps: EvidenceServiceDeps,
  uow: UnitOfWork,
  recorder: Recorder,
  moduleId: string,
  fields: z.output<typeof uploadTrainingCompletionFieldsSchema>,
  file: ReceivedFile,
): Promise<z.infer<typeof trainingCompletionSchema>> {
  const now = new Date();
  const completedAt = fields.completedAt ? new Date(fields.completedAt) : now;
  if (completedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('request.invalid', 'A completion cannot be in the future', [
      { path: 'completedAt', message: 'Is in the future' },
    ]);
  }
  return uow.write(async (scope) => {
    const { tx } = scope;
    const module = await repo.lockModule(tx, moduleId);
    if (!module) throw new AppError('training.module_not_found', 'No such training module');
    if (module.archived_at !== null) throw new AppError('training.archived');
    if (module.kind !== 'external') throw notExternal(module);
    const version = await repo.findPublishedVersion(tx, moduleId);
    if (!version) {
      throw new AppError(
        'training.version_state',
        'Publish the module before recording completions',
      );
    }
    if (fields.externalRef !== undefined) {
      const known = await repo.findExternalRefs(tx, [fields.externalRef]);
      if (known.has(`${moduleId}\n${fields.externalRef}`)) {
        throw new AppError('request.invalid', 'This external record is already recorded', [
          { path: 'externalRef', message: 'Already recorded for this module' },
        ]);
      }
    }
    const subject = await findSubjectByEmail(tx, fields.email);
    // The evidence joins this transaction: a refused completion leaves no evidence behind.
    const inner: UnitOfWork = { ...uow, write: (fn) => fn(scope) };
    const evidence = await addEvidence(
      deps,
      inner,
      recorder,
      {
        fields: {
          title: `Training certificate: ${module.title} (${fields.email})`,
          description: `Completion of the external training module "${module.title}" by ${fields.email}.`,
          controlIds: [],
          collectedAt: completedAt.toISOString(),
        },
        file,
      },
      now,
    );
    const completion = await recordCompletionIn(scope, uow.orgId, {
      module,
      versionId: version.id,
      personId: subject.personId,
      userId: subject.userId,
      completedAt,
      score: fields.score ?? null,
      method: 'upload',
      evidenceId: evidence.id,
      externalRef: fields.externalRef ?? null,
      recorder,
      audited: true,
    });
    await recordTrainingChecks(scope, uow.orgId, now);
    return toCompletion(await repo.findCompletion(tx, completion.id));
  });
}

interface PlannedRow {
  input: CompletionInput;
  action: 'record' | 'duplicate' | 'error';
  module: repo.ModuleRow | null;
  versionId: string | null;
  subject: { personId: string | null; userId: string | null } | null;
}

async function planCompletions(tx: Tx, inputs: CompletionInput[]): Promise<PlannedRow[]> {
  const modules = new Map((await repo.findModules(tx)).map((m) => [m.key, m]));
  const published = new Map(
    (
      await repo.findVersions(
        tx,
        [...modules.values()].map((m) => m.id),
      )
    )
      .filter((v) => v.status === 'published')
      .map((v) => [v.module_id, v.id]),
  );
  const subjects = await repo.findSubjectsByEmail(
    tx,
    inputs.map((i) => i.email).filter((e) => e !== ''),
  );
  const knownRefs = await repo.findExternalRefs(
    tx,
    inputs.flatMap((i) => (i.externalRef ? [i.externalRef] : [])),
  );
  const subjectIds = [...subjects.values()].flat().map((s) => s.personId ?? s.userId ?? '');
  const existing = new Set<string>();
  if (subjectIds.length > 0) {
    const rows = await tx
      .selectFrom('training_completions')
      .select(['module_id', 'subject_id', 'completed_at'])
      .where('subject_id', 'in', [...new Set(subjectIds)])
      .execute();
    for (const r of rows)
      existing.add(`${r.module_id}\n${r.subject_id}\n${r.completed_at.toISOString()}`);
  }
  const refsInFile = new Map<string, number>();
  return inputs.map((input) => {
    const errors = input.errors;
    const module = modules.get(input.moduleKey) ?? null;
    if (input.moduleKey !== '' && !module) {
      errors.push({
        column: 'module_key',
        message: `No training module has the key "${input.moduleKey}"`,
      });
    } else if (module) {
      if (module.archived_at !== null) {
        errors.push({ column: 'module_key', message: `"${module.title}" is archived` });
      } else if (module.kind !== 'external') {
        errors.push({
          column: 'module_key',
          message: `"${module.title}" is taken in Steward, not in an external learning system`,
        });
      } else if (!published.has(module.id)) {
        errors.push({
          column: 'module_key',
          message: `"${module.title}" has no published version`,
        });
      }
    }
    const found = input.email === '' ? [] : (subjects.get(input.email) ?? []);
    if (input.email !== '' && found.length === 0 && !errors.some((e) => e.column === 'email')) {
      errors.push({ column: 'email', message: 'No person or user has this email' });
    } else if (found.length > 1) {
      errors.push({ column: 'email', message: 'Several people have this email' });
    }
    const subject = found.length === 1 ? (found[0] ?? null) : null;
    let action: PlannedRow['action'] = 'record';
    if (input.externalRef !== null && module) {
      const refKey = `${module.id}\n${input.externalRef}`;
      const first = refsInFile.get(refKey);
      if (first !== undefined) {
        errors.push({ column: 'external_id', message: `is also on row ${String(first)}` });
      } else {
        refsInFile.set(refKey, input.row);
        if (knownRefs.has(refKey)) action = 'duplicate';
      }
    }
    if (
      module &&
      subject &&
      input.completedAt &&
      existing.has(
        `${module.id}\n${subject.personId ?? subject.userId ?? ''}\n${input.completedAt.toISOString()}`,
      )
    ) {
      action = 'duplicate';
    }
    if (errors.length > 0) action = 'error';
    return {
      input,
      action,
      module,
      versionId: module ? (published.get(module.id) ?? null) : null,
      subject,
    };
  });
}

function summarise(plans: PlannedRow[], preview: boolean, applied: boolean): ImportResult {
  const count = (action: PlannedRow['action']) => plans.filter((p) => p.action === action).length;
  return {
    preview,
    applied,
    summary: {
      rows: plans.length,
      record: count('record'),
      duplicate: count('duplicate'),
      error: count('error'),
    },
    rows: plans.map((p) => ({
      row: p.input.row,
      email: p.input.email === '' ? null : p.input.email,
      moduleKey: p.input.moduleKey === '' ? null : p.input.moduleKey,
      action: p.action,
      errors: p.input.errors,
    })),
  };
}

/**
 * Record completions from an external learning system (CSV or API). With `preview`, report per
 * row what would be recorded, what is already known and every problem, writing nothing.
 * Otherwise record everything in one transaction, or nothing when any row has a problem; the
 * same file imported again records nothing new.
 */
export async function importCompletions(
  uow: UnitOfWork,
  recorder: Recorder,
  inputs: CompletionInput[],
  options: { preview: boolean; method: 'csv' | 'api'; fileName?: string; sha256?: string },
): Promise<ImportResult> {
  if (options.preview) {
    return summarise(await uow.read((tx) => planCompletions(tx, inputs)), true, false);
  }
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const plans = await planCompletions(tx, inputs);
    const failed = plans.filter((p) => p.action === 'error');
    if (failed.length > 0) {
      const label = options.method === 'csv' ? 'Row' : 'Record';
      const errors = failed.flatMap((p) =>
        p.input.errors.map((e) => ({
          path: `rows.${String(p.input.row)}.${e.column}`,
          message: `${label} ${String(p.input.row)}, ${e.column}: ${e.message}`,
        })),
      );
      throw new AppError(
        'training.import_invalid',
        `${String(failed.length)} ${failed.length > 1 ? 'rows have' : 'row has'} problems; nothing was recorded. ${errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
        errors.slice(0, 500),
      );
    }
    const now = new Date();
    for (const plan of plans) {
      if (plan.action !== 'record' || !plan.module || !plan.subject || !plan.versionId) continue;
      await recordCompletionIn(scope, uow.orgId, {
        module: plan.module,
        versionId: plan.versionId,
        personId: plan.subject.personId,
        userId: plan.subject.userId,
        completedAt: plan.input.completedAt ?? now,
        score: plan.input.score,
        method: options.method,
        evidenceId: null,
        externalRef: plan.input.externalRef,
        recorder,
        audited: false,
      });
    }
    const result = summarise(plans, false, true);
    await audit({
      action: 'training.completions_imported',
      targetType: 'training',
      targetId: null,
      changes: {
        method: options.method,
        ...(options.fileName === undefined ? {} : { fileName: options.fileName }),
        ...(options.sha256 === undefined ? {} : { sha256: options.sha256 }),
        ...result.summary,
      },
    });
    await recordTrainingChecks(scope, uow.orgId, now);
    return result;
  });
}
