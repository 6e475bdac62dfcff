import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createLifecycleJobs, type LifecycleJobDeps } from './lifecycle.jobs.ts';
import { lifecycleRoutes } from './lifecycle.routes.ts';

export { runLifecycleSweep } from './lifecycle.jobs.ts';
export { createLifecycleDeriver, type LifecycleDeriver } from './lifecycle-deriver.ts';
export {
  deriveFromPersonChanges,
  onAccountsSynced,
  recordLifecycleChecks,
} from './lifecycle.service.ts';

/** What the lifecycle module needs. */
export type LifecycleDeps = LifecycleJobDeps;

/** Joiner, mover and leaver checklists derived from the directory's changes. */
export function createLifecycleModule(deps: LifecycleDeps): StewardModule {
  return defineModule({
    name: 'lifecycle',
    routes: lifecycleRoutes,
    jobs: createLifecycleJobs(deps),
  });
}
