import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createAccessReviewJobs, type AccessReviewJobDeps } from './access-reviews.jobs.ts';
import { createAccessReviewRoutes } from './access-reviews.routes.ts';
import type { AccessReviewDeps } from './access-reviews.service.ts';

export { recordAccessReviewChecks, verifyAfterSync } from './access-reviews.service.ts';

/** Access review campaigns: snapshots, reviewer decisions, verified revocations, reports. */
export function createAccessReviewsModule(
  deps: AccessReviewDeps & AccessReviewJobDeps,
): StewardModule {
  return defineModule({
    name: 'access-reviews',
    routes: createAccessReviewRoutes(deps),
    jobs: createAccessReviewJobs(deps),
  });
}
