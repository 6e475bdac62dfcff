import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createManagementReviewJobs, type ReviewJobDeps } from './management-reviews.jobs.ts';
import { createManagementReviewRoutes } from './management-reviews.routes.ts';
import type { ReviewServiceDeps } from './management-reviews.service.ts';

export { runReviewDay } from './management-reviews.jobs.ts';
export { recordOversightCheck } from './management-reviews.service.ts';
export {
  recordDeclaredCheck,
  recordTaskEvidence,
  type RecordScope,
  type RecordSupplier,
} from './task-evidence.ts';

/** What the management reviews module needs. */
export type ManagementReviewsDeps = ReviewJobDeps & ReviewServiceDeps;

/** Management reviews: leadership's oversight meetings, their record and action items. */
export function createManagementReviewsModule(deps: ManagementReviewsDeps): StewardModule {
  return defineModule({
    name: 'management-reviews',
    routes: createManagementReviewRoutes(deps),
    jobs: createManagementReviewJobs(deps),
  });
}
