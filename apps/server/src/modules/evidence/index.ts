import type { EvidenceS3Config } from '../../config.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createEvidenceBlobStore } from '../../platform/storage/index.ts';
import { createEvidenceRoutes } from './evidence.routes.ts';

export {
  addEvidence,
  sanitizeFileName,
  sanitizeMediaType,
  type AddEvidenceFields,
  type AddEvidenceInput,
  type EvidenceServiceDeps,
} from './evidence.service.ts';

/** What the evidence module needs. */
export interface EvidenceDeps {
  dataDir: string;
  tempDir: string;
  maxBytes: number;
  /** An S3-compatible bucket for the files; the data directory when absent. */
  s3?: EvidenceS3Config | undefined;
}

/** Immutable, hashed, dated evidence and its content-addressed storage. */
export function createEvidenceModule(deps: EvidenceDeps): StewardModule {
  const blobStore = createEvidenceBlobStore({ dataDir: deps.dataDir, s3: deps.s3 });
  return defineModule({
    name: 'evidence',
    routes: createEvidenceRoutes({ blobStore, tempDir: deps.tempDir, maxBytes: deps.maxBytes }),
  });
}
