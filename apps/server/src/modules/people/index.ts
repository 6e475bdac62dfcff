import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createPeopleRoutes } from './people.routes.ts';

export { importPeople, type PeopleCsvFile } from './people-import.service.ts';
export {
  fieldsOf,
  resolveManager,
  savePerson,
  todayUtc,
  writeIfChanged,
  type PersonFields,
  type SavedPerson,
  type SaveContext,
} from './people.service.ts';
export type { PersonRow } from './people.repo.ts';

/** The people directory: personnel entered by hand, imported from CSV or pushed over SCIM. */
export function createPeopleModule(deps: { tempDir: string }): StewardModule {
  return defineModule({ name: 'people', routes: createPeopleRoutes(deps) });
}
