import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createFrameworksRoutes } from './frameworks.routes.ts';

export {
  annexFramework,
  annexRequirements,
  annexSections,
  defaultControls,
  renderDefaultAnnex,
  type AnnexRequirement,
  type AnnexSection,
  type DefaultCheck,
  type DefaultControl,
  type DefaultTask,
} from './annex-catalogue.ts';
export {
  referenceFrameworks,
  referenceItems,
  type ReferenceFramework,
  type ReferenceItem,
} from './framework-references.ts';
export {
  buildAssessmentResults,
  buildComponentDefinition,
  buildPoam,
  buildSystemSecurityPlan,
  type ExportControl,
  type ExportInput,
} from './oscal-export.ts';
export { OscalError } from './oscal-catalog.ts';
export { describeReferenceMappings, type ReferenceMapping } from './reference-mappings.ts';
export {
  importOscalCatalog,
  listFrameworks,
  seedBuiltinFramework,
  type OscalFile,
  type OscalImportInput,
  type OscalImportResult,
} from './frameworks.service.ts';

/** What the frameworks module needs. */
export interface FrameworksDeps {
  /** Where multipart uploads are staged. */
  tempDir: string;
}

/** Frameworks and their requirements: the built-in annex framework and imported OSCAL catalogs. */
export function createFrameworksModule(deps: FrameworksDeps): StewardModule {
  return defineModule({ name: 'frameworks', routes: createFrameworksRoutes(deps) });
}
