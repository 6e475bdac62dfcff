import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createPeopleRoutes } from './people.routes.ts';
import type { PersonChangeListener } from './people.service.ts';

export { importPeople, type PeopleCsvFile } from './people-import.service.ts';
export {
  fieldsOf,
  resolveManager,
  savePerson,
  notifierOf,
  todayUtc,
  writeIfChanged,
  type PersonChangeListener,
  type PersonFields,
  type SavedPerson,
  type SaveContext,
} from './people.service.ts';
export type { PersonChangeInput, PersonRow } from './people.repo.ts';

/** The people directory: personnel entered by hand, imported from CSV or pushed over SCIM. */
export function createPeopleModule(deps: {
  tempDir: string;
  /** Told of every recorded directory change, in its transaction. */
  onPersonChanges?: PersonChangeListener;
}): StewardModule {
  return defineModule({ name: 'people', routes: createPeopleRoutes(deps) });
}
