import type { EvidenceS3Config } from '../../config.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createEvidenceBlobStore } from '../../platform/storage/index.ts';
import { createTrainingJobs, type TrainingJobDeps } from './training.jobs.ts';
import { createTrainingRoutes } from './training.routes.ts';

export { runTrainingDay } from './training.jobs.ts';
export { recordTrainingChecks } from './training.service.ts';
export { trainingModuleTemplates } from './training-modules.ts';

/** What the training module needs. */
export interface TrainingDeps extends TrainingJobDeps {
  dataDir: string;
  tempDir: string;
  /** Largest certificate accepted, as for evidence. */
  maxBytes: number;
  /** The evidence bucket, when evidence goes to S3. */
  s3?: EvidenceS3Config | undefined;
}

/** Security awareness training: modules, quizzes, assignments, completions, reminders. */
export function createTrainingModule(deps: TrainingDeps): StewardModule {
  const blobStore = createEvidenceBlobStore({ dataDir: deps.dataDir, s3: deps.s3 });
  return defineModule({
    name: 'training',
    routes: createTrainingRoutes({
      blobStore,
      tempDir: deps.tempDir,
      maxEvidenceBytes: deps.maxBytes,
    }),
    jobs: createTrainingJobs(deps),
  });
}
