import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { Db } from '../../platform/db/pools.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';
import type { BlobStore } from '../../platform/storage/index.ts';
import { createFindingsJobs } from './findings.jobs.ts';
import { createFindingsRoutes } from './findings.routes.ts';

export {
  importKevCatalog,
  KevCatalogError,
  parseKevCatalog,
  type KevCatalog,
  type KevImportResult,
} from './kev.service.ts';
export { runDailyFindingsWork } from './findings.jobs.ts';

/** What the findings module needs. */
export interface FindingsDeps {
  db: Db;
  auditWriter: AuditWriter;
  tempDir: string;
  /** Largest scanner report accepted, in bytes. */
  maxReportBytes: number;
  /** Largest penetration test report file accepted, in bytes (the evidence limit). */
  maxEvidenceBytes: number;
  version: string;
  /** Where penetration test reports are stored, as evidence. */
  blobStore: BlobStore;
  /** Notices of new critical findings and deadline reminders. */
  outbox: MailOutbox;
  publicUrl: URL;
}

/**
 * Vulnerability management: assets, scan imports, findings, SLAs, risk acceptances, penetration
 * tests, reminders, metrics.
 */
export function createFindingsModule(deps: FindingsDeps): StewardModule {
  return defineModule({
    name: 'findings',
    routes: createFindingsRoutes(deps),
    jobs: createFindingsJobs(deps),
  });
}
