import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createProgramJobs } from './program.jobs.ts';
import { createProgramRoutes } from './program.routes.ts';

export { exportOscal, type OscalExportModel } from './oscal-export.service.ts';
export {
  ensureProgramSeeded,
  recordDailyStatus,
  seedNewOrgProgram,
  seedProgram,
} from './program.service.ts';

/** What the program module needs. */
export interface ProgramDeps {
  db: Db;
  auditWriter: AuditWriter;
  version: string;
  publicUrl: URL;
}

/** The program as a whole: settings, seeding of new orgs, the dashboard, OSCAL exports, daily status. */
export function createProgramModule(deps: ProgramDeps): StewardModule {
  return defineModule({
    name: 'program',
    routes: createProgramRoutes(deps),
    jobs: createProgramJobs(deps),
  });
}
