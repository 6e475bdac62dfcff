import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';

/** What the program module needs. */
export interface ProgramDeps {
  db: Db;
  auditWriter: AuditWriter;
  version: string;
}

/** The program as a whole: settings, seeding of new orgs, the dashboard, OSCAL exports, daily status. */
export function createProgramModule(_deps: ProgramDeps): StewardModule {
  return defineModule({ name: 'program', routes: [] });
}
