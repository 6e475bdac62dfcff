import { endpoints } from '@steward/contracts';
import { readFile } from 'node:fs/promises';
import { AppError } from '../../platform/errors/app-error.ts';
import { readMultipart, type ReceivedFile } from '../../platform/http/multipart.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './frameworks.service.ts';

/** Largest OSCAL file accepted (the full SP 800-53 catalog with prose is about 10 MB). */
export const maxOscalFileBytes = 50 * 1024 * 1024;

async function readOscalFile(file: ReceivedFile): Promise<service.OscalFile> {
  return { fileName: file.fileName || file.field, text: await readFile(file.path, 'utf8') };
}

function single(files: ReceivedFile[], field: 'catalog' | 'profile'): ReceivedFile | undefined {
  const found = files.filter((f) => f.field === field);
  if (found.length > 1) {
    throw new AppError('request.invalid', `Send one ${field} file`, [
      { path: field, message: `Send one ${field} file` },
    ]);
  }
  return found[0];
}

/** HTTP routes of the frameworks module. */
export function createFrameworksRoutes(deps: { tempDir: string }) {
  return [
    defineRoute(endpoints.listFrameworks, async ({ uow }) => ({
      items: await service.listFrameworks(uow),
    })),
    defineRoute(endpoints.getFramework, ({ uow, params }) => service.getFramework(uow, params.id)),
    defineRoute(endpoints.importOscalCatalog, async ({ uow, request }) => {
      const e = endpoints.importOscalCatalog;
      const body = await readMultipart(request, e.body, e.multipart.files, {
        maxFileBytes: maxOscalFileBytes,
        tempDir: deps.tempDir,
      });
      try {
        const catalog = single(body.files, 'catalog');
        const profile = single(body.files, 'profile');
        if (!catalog) {
          throw new AppError('request.invalid', 'Attach the OSCAL catalog', [
            { path: 'catalog', message: 'Attach an OSCAL catalog in JSON' },
          ]);
        }
        return await service.importOscalCatalog(uow, {
          catalog: await readOscalFile(catalog),
          profile: profile ? await readOscalFile(profile) : undefined,
          autoMapThreshold: body.fields.autoMapThreshold,
        });
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.deleteFramework, async ({ uow, params }) => {
      await service.deleteFramework(uow, params.id);
      return { ok: true as const };
    }),
    defineRoute(endpoints.setRequirementControls, ({ uow, params, body }) =>
      service.setRequirementControls(uow, params.id, body.controlIds),
    ),
  ];
}
