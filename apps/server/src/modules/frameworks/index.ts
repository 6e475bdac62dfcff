import { defineModule, type StewardModule } from '../../platform/module.ts';

/** What the frameworks module needs. */
export interface FrameworksDeps {
  /** Where multipart uploads are staged. */
  tempDir: string;
}

/** Frameworks and their requirements: the built-in annex framework and imported OSCAL catalogs. */
export function createFrameworksModule(_deps: FrameworksDeps): StewardModule {
  return defineModule({ name: 'frameworks', routes: [] });
}
