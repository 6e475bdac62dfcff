import { endpoints } from '@steward/contracts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { takeOneFile } from '../../platform/http/upload-helpers.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import { importPeople } from './people-import.service.ts';
import * as service from './people.service.ts';

/** Largest people CSV accepted (about 100,000 rows of a typical export). */
export const maxPeopleCsvBytes = 20 * 1024 * 1024;

/** HTTP routes of the people directory. */
export function createPeopleRoutes(deps: {
  tempDir: string;
  onPersonChanges?: service.PersonChangeListener | undefined;
}) {
  return [
    defineRoute(endpoints.listPeople, ({ uow, query }) => service.listPeople(uow, query)),
    defineRoute(endpoints.getPerson, ({ uow, params }) => service.getPerson(uow, params.id)),
    defineRoute(endpoints.createPerson, ({ uow, body }) =>
      service.createPerson(uow, body, deps.onPersonChanges),
    ),
    defineRoute(endpoints.updatePerson, ({ uow, params, body }) =>
      service.updatePerson(uow, params.id, body, deps.onPersonChanges),
    ),
    defineRoute(endpoints.importPeople, async ({ uow, request }) => {
      const e = endpoints.importPeople;
      const body = await readMultipart(request, e.body, e.multipart.files, {
        maxFileBytes: maxPeopleCsvBytes,
        tempDir: deps.tempDir,
      });
      try {
        const file = takeOneFile(body.files, 'CSV file');
        return await importPeople(
          uow,
          { path: file.path, fileName: file.fileName, sha256: file.sha256 },
          body.fields.preview,
          deps.onPersonChanges,
        );
      } finally {
        await body.cleanUp();
      }
    }),
  ];
}
