import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createSystemsJobs } from './systems.jobs.ts';
import type { SystemsDeps } from './systems-deps.ts';
import { createSystemsRoutes } from './systems.routes.ts';

export type { AccountsSyncedEvent, AccountsSyncedHook, SystemsDeps } from './systems-deps.ts';
export { runDueSyncs } from './systems.jobs.ts';
export {
  evaluateSystemsChecks,
  recordSystemsChecks,
  systemsCheckKeys,
} from './systems-checks.service.ts';
export { readPostgresAccounts, type PostgresSettings } from './postgres-connector.ts';

/** Systems and accounts inventory: connectors, syncs, flags, role profiles. */
export function createSystemsModule(deps: SystemsDeps): StewardModule {
  return defineModule({
    name: 'systems',
    routes: createSystemsRoutes(deps),
    jobs: createSystemsJobs(deps),
  });
}
