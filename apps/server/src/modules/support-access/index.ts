import { defineModule, type StewardModule } from '../../platform/module.ts';
import type { SupportAccessDeps } from './support-access-deps.ts';
import { createSupportAccessJobs } from './support-access.jobs.ts';
import { createSupportAccessRoutes } from './support-access.routes.ts';

export type { SupportAccessDeps } from './support-access-deps.ts';
export { recordSupportAccessChecks, supportAccessKeys } from './support-access-checks.service.ts';

/** Customers and just-in-time support access to their data: requests, grants, reports. */
export function createSupportAccessModule(deps: SupportAccessDeps): StewardModule {
  return defineModule({
    name: 'support-access',
    routes: createSupportAccessRoutes(deps),
    jobs: createSupportAccessJobs(deps),
  });
}
