import type { trainingCampaignEvidenceSchema } from '@steward/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { formatCsv, todayUtc } from '../controls/index.ts';
import { addEvidence, type EvidenceServiceDeps } from '../evidence/index.ts';
import type { Recorder } from './training-completions.service.ts';
import { percentOf } from './training.service.ts';
import * as repo from './training.repo.ts';

/** The evidence task each category's campaign report completes. */
export const campaignTaskKeys = {
  awareness: 'training.annual_campaign',
  secure_development: 'training.secure_development',
} as const;

/**
 * Keep a module's completion report (everyone assigned, due date, completion, score, version) as
 * evidence of its campaign task, in one transaction with the task's completion. The report is a
 * CSV written to the temporary directory, stored once by its SHA-256 like any evidence file.
 */
export async function recordCampaign(
  deps: EvidenceServiceDeps & { tempDir: string },
  uow: UnitOfWork,
  recorder: Recorder,
  moduleId: string,
): Promise<z.infer<typeof trainingCampaignEvidenceSchema>> {
  const now = new Date();
  const today = todayUtc(now);
  const prepared = await uow.read(async (tx) => {
    const [module] = await repo.findModules(tx, moduleId);
    if (!module) throw new AppError('training.module_not_found', 'No such training module');
    if (module.category === 'other') {
      throw new AppError(
        'training.version_state',
        'Only awareness and secure development modules prove a campaign task',
      );
    }
    if (!(await repo.findPublishedVersion(tx, moduleId))) {
      throw new AppError('training.version_state', 'Publish the module before reporting on it');
    }
    const assignments = await repo.findAssignments(tx, moduleId);
    const coverage = (await repo.findCoverage(tx, [module], today)).get(moduleId);
    return { module, assignments, coverage };
  });
  const { module, assignments, coverage } = prepared;
  const header = [
    'name',
    'email',
    'department',
    'reason',
    'due_on',
    'state',
    'completed_at',
    'score',
    'method',
    'version',
  ];
  const rows = assignments.map((a) => [
    a.name ?? '',
    a.email ?? '',
    a.department ?? '',
    a.reason,
    a.due_on,
    a.completed_at !== null ? 'completed' : a.due_on < today ? 'overdue' : 'pending',
    a.completed_at?.toISOString() ?? '',
    a.score === null ? '' : String(a.score),
    a.method ?? '',
    a.version_number === null ? '' : String(a.version_number),
  ]);
  const bytes = Buffer.from(formatCsv(header, rows), 'utf8');
  await mkdir(deps.tempDir, { recursive: true, mode: 0o700 });
  const filePath = path.join(deps.tempDir, `training-report-${randomUUID()}.csv`);
  await writeFile(filePath, bytes, { mode: 0o600 });
  try {
    const audience = coverage?.audience ?? 0;
    const completed = coverage?.completed ?? 0;
    const summary = {
      audience,
      completed,
      overdue: coverage?.overdue ?? 0,
      percent: percentOf(completed, audience),
    };
    return await uow.write(async (scope) => {
      const taskKey = campaignTaskKeys[module.category as keyof typeof campaignTaskKeys];
      const task = await scope.tx
        .selectFrom('evidence_tasks')
        .select('id')
        .where('key', '=', taskKey)
        .where('is_active', '=', true)
        .executeTakeFirst();
      // The evidence joins this transaction: it and the audit record commit together.
      const inner: UnitOfWork = { ...uow, write: (fn) => fn(scope) };
      const evidence = await addEvidence(
        deps,
        inner,
        recorder,
        {
          fields: {
            title: `Training report: ${module.title} (${today})`,
            description: `${String(summary.completed)} of ${String(summary.audience)} people (${String(summary.percent)}%) completed "${module.title}" within its cadence; ${String(summary.overdue)} overdue.`,
            controlIds: [],
            ...(task ? { taskId: task.id } : {}),
          },
          file: {
            field: 'file',
            fileName: `training-report-${module.key}-${today}.csv`,
            mediaType: 'text/csv',
            path: filePath,
            sizeBytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
          },
        },
        now,
      );
      await scope.audit({
        action: 'training.campaign_recorded',
        targetType: 'training_module',
        targetId: module.id,
        changes: { evidenceId: evidence.id, taskId: task?.id ?? null, taskKey, ...summary },
      });
      return {
        evidenceId: evidence.id,
        taskId: task?.id ?? null,
        taskKey: task ? taskKey : null,
        coverage: summary,
      };
    });
  } finally {
    await rm(filePath, { force: true });
  }
}
