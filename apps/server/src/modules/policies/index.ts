import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createPoliciesJobs, type PolicyJobDeps } from './policies.jobs.ts';
import { policiesRoutes } from './policies.routes.ts';

export { runPolicyDay } from './policies.jobs.ts';
export { evaluatePolicyChecks, recordPolicyChecks } from './policies.service.ts';
export { policyTemplates } from './policy-templates.ts';

/** What the policies module needs. */
export type PoliciesDeps = PolicyJobDeps;

/** Policies: versions, approval, publication, acknowledgement and annual review. */
export function createPoliciesModule(deps: PoliciesDeps): StewardModule {
  return defineModule({ name: 'policies', routes: policiesRoutes, jobs: createPoliciesJobs(deps) });
}
