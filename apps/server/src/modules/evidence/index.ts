import { defineModule, type StewardModule } from '../../platform/module.ts';

/** What the evidence module needs. */
export interface EvidenceDeps {
  dataDir: string;
  tempDir: string;
  maxBytes: number;
}

/** Immutable, hashed, dated evidence and its content-addressed storage. */
export function createEvidenceModule(_deps: EvidenceDeps): StewardModule {
  return defineModule({ name: 'evidence', routes: [] });
}
