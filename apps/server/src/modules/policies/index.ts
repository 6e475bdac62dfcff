import { defineModule, type StewardModule } from '../../platform/module.ts';
import type { EvidenceS3Config } from '../../config.ts';
import { createEvidenceBlobStore } from '../../platform/storage/index.ts';
import { createPoliciesJobs, type PolicyJobDeps } from './policies.jobs.ts';
import { createPoliciesRoutes } from './policies.routes.ts';

export { runPolicyDay } from './policies.jobs.ts';
export { evaluatePolicyChecks, recordPolicyChecks } from './policies.service.ts';
export { policyTemplates } from './policy-templates.ts';

/** Largest policy document accepted (within the evidence limit). */
export const maxPolicyFileBytes = 50 * 1024 * 1024;

/** What the policies module needs. */
export interface PoliciesDeps extends PolicyJobDeps {
  dataDir: string;
  tempDir: string;
  /** The evidence settings: policy documents are stored as evidence files. */
  evidence: { maxBytes: number; s3: EvidenceS3Config | undefined };
}

/** Policies: versions (Markdown or PDF/DOCX), approval, publication, acknowledgement, review. */
export function createPoliciesModule(deps: PoliciesDeps): StewardModule {
  const blobStore = createEvidenceBlobStore({ dataDir: deps.dataDir, s3: deps.evidence.s3 });
  return defineModule({
    name: 'policies',
    routes: createPoliciesRoutes({
      blobStore,
      tempDir: deps.tempDir,
      maxFileBytes: Math.min(deps.evidence.maxBytes, maxPolicyFileBytes),
    }),
    jobs: createPoliciesJobs(deps),
  });
}
