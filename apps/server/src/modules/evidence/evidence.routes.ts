import { endpoints } from '@steward/contracts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  formatContentDisposition,
  replyWithStoredFile,
} from '../../platform/http/file-reply-helpers.ts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { supplierOf } from '../tasks/index.ts';
import { streamEvidenceCsv } from './evidence-export.service.ts';
import * as service from './evidence.service.ts';

/** What the evidence routes need. */
export interface EvidenceRouteDeps extends service.EvidenceServiceDeps {
  tempDir: string;
  maxBytes: number;
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  return formatContentDisposition('attachment', fileName, 'evidence');
}

/** HTTP routes of the evidence module. */
export function createEvidenceRoutes(deps: EvidenceRouteDeps): RouteDefinition[] {
  const addEvidence = endpoints.addEvidence;
  return [
    defineRoute(endpoints.listEvidence, ({ uow, query }) => service.listEvidence(uow, query)),
    defineRoute(endpoints.exportEvidenceCsv, async ({ uow, reply }) => {
      const stream = await streamEvidenceCsv(uow);
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="evidence.csv"');
      // The platform sends whatever a `produces` route returns; the catalogue types CSV as text.
      return stream as unknown as string;
    }),
    defineRoute(addEvidence, async ({ uow, identity, request }) => {
      const body = await readMultipart(request, addEvidence.body, addEvidence.multipart.files, {
        maxFileBytes: deps.maxBytes,
        tempDir: deps.tempDir,
        tooLargeCode: 'evidence.too_large',
      });
      try {
        if (body.files.length > 1) {
          const message = 'Attach one file per evidence item';
          throw new AppError('request.invalid', message, [{ path: 'file', message }]);
        }
        return await service.addEvidence(deps, uow, supplierOf(identity), {
          fields: body.fields,
          file: body.files[0],
        });
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.getEvidence, ({ uow, params }) => service.getEvidence(uow, params.id)),
    defineRoute(endpoints.downloadEvidence, async ({ uow, params, request, reply }) => {
      const file = await service.openEvidenceFile(deps, uow, params.id);
      return replyWithStoredFile(request, reply, file, {
        kind: 'attachment',
        fallbackName: 'evidence',
        sandboxed: false,
      });
    }),
    defineRoute(endpoints.linkEvidence, ({ uow, params, body }) =>
      service.linkEvidence(uow, params.id, body.controlIds),
    ),
    defineRoute(endpoints.deleteEvidence, ({ uow, identity, params }) =>
      service.deleteEvidence(deps, uow, identity.userId, params.id),
    ),
  ];
}
