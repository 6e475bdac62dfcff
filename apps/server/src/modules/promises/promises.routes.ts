import { endpoints } from '@steward/contracts';
import { readFile } from 'node:fs/promises';
import { AppError } from '../../platform/errors/app-error.ts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import { maxAnnexBytes } from './annex-text.ts';
import * as service from './promises.service.ts';

function refuse(path: string, message: string): never {
  throw new AppError('request.invalid', message, [{ path, message }]);
}

/** HTTP routes of the promises module. */
export function createPromisesRoutes(deps: { tempDir: string }) {
  return [
    defineRoute(endpoints.listAnnexes, async ({ uow }) => ({
      items: await service.listAnnexes(uow),
    })),
    defineRoute(endpoints.importAnnex, async ({ uow, request }) => {
      const e = endpoints.importAnnex;
      const body = await readMultipart(request, e.body, e.multipart.files, {
        maxFileBytes: maxAnnexBytes,
        tempDir: deps.tempDir,
      });
      try {
        const { name, text } = body.fields;
        if (body.files.length > 1) refuse('file', 'Send one annex file');
        const file = body.files[0];
        if (file && text !== undefined && text.trim() !== '') {
          refuse('text', 'Paste the annex text or upload a file, not both');
        }
        // Form encoding turns every line break of a field into CRLF; keep the text as pasted.
        const pasted = (text ?? '').replace(/\r\n/g, '\n');
        const input: service.AnnexInput = file
          ? {
              name,
              field: 'file',
              fileName: file.fileName || 'annex',
              content: await readFile(file.path),
            }
          : { name, field: 'text', fileName: null, content: pasted };
        return await service.importAnnex(uow, input);
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.getAnnex, ({ uow, params }) => service.getAnnex(uow, params.id)),
    defineRoute(endpoints.exportPromisesCsv, async ({ uow, params, reply }) => {
      const { fileName, csv } = await service.exportPromisesCsv(uow, params.id);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`);
      return csv;
    }),
    defineRoute(endpoints.deleteAnnex, async ({ uow, params }) => {
      await service.deleteAnnex(uow, params.id);
      return { ok: true as const };
    }),
    defineRoute(endpoints.setPromiseControls, ({ uow, params, body }) =>
      service.setPromiseControls(uow, params.id, body.controlIds),
    ),
  ];
}
