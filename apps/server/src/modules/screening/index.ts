import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createScreeningJobs, type ScreeningJobDeps } from './screening.jobs.ts';
import { createScreeningRoutes } from './screening.routes.ts';
import type { ScreeningServiceDeps } from './screening.service.ts';

export { runScreeningDay } from './screening.jobs.ts';
export { recordScreeningCheck } from './screening.service.ts';

/** What the screening module needs. */
export type ScreeningDeps = ScreeningJobDeps & ScreeningServiceDeps;

/** Background screening: rules, per-person outcome and dates (never reports), quarterly audits. */
export function createScreeningModule(deps: ScreeningDeps): StewardModule {
  return defineModule({
    name: 'screening',
    routes: createScreeningRoutes(deps),
    jobs: createScreeningJobs(deps),
  });
}
