import { endpoints } from '@steward/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Identity } from '../../platform/authz/identity.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  readMultipart,
  type MultipartLimits,
  type ReceivedFile,
} from '../../platform/http/multipart.ts';
import { formatContentDisposition } from '../../platform/http/file-reply-helpers.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as assets from './assets.service.ts';
import { streamAssetVex, streamFindingsCsv } from './findings-export.service.ts';
import * as findings from './findings.service.ts';
import { getVulnerabilityMetrics } from './metrics.service.ts';
import * as acceptances from './risk-acceptances.service.ts';
import * as pentests from './pentests.service.ts';
import { importScan, requireOneFile, type Importer } from './scan-import.service.ts';
import type { BlobStore } from '../../platform/storage/index.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { getSlaPolicy, updateSlaPolicy } from './sla-policy.service.ts';

/** What the findings routes need. */
export interface FindingsRouteDeps {
  tempDir: string;
  /** Largest report accepted, in bytes. */
  maxReportBytes: number;
  /** Largest penetration test report file accepted (an evidence file), in bytes. */
  maxEvidenceBytes: number;
  version: string;
  /** The evidence store penetration test reports go to. */
  blobStore: BlobStore;
  outbox: MailOutbox;
  publicUrl: URL;
}

// Room for the multipart boundaries and text fields around the file.
const multipartOverheadBytes = 1024 * 1024;

/**
 * Refuse an upload whose declared length already exceeds the limit, before reading any of it: a
 * 2 GB report is answered at once instead of after streaming it to disk. Uploads without a
 * declared length (chunked) are still cut off by the streaming limit.
 */
function refuseDeclaredOversize(request: FastifyRequest, maxBytes: number): void {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes + multipartOverheadBytes) {
    throw new AppError(
      'scan.too_large',
      `The report is ${formatMegabytes(declared)}; the limit is ${formatMegabytes(maxBytes)}`,
    );
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}

/**
 * Read an upload of one file (spooled to the temporary folder), hand its fields and file to
 * `use`, and remove the file afterwards whatever happens.
 */
async function useUploadedFile<S extends z.ZodType, R>(
  request: FastifyRequest,
  endpoint: { body: S; multipart: { files: readonly string[] } },
  limits: MultipartLimits,
  use: (fields: z.output<S>, file: ReceivedFile) => Promise<R>,
): Promise<R> {
  const body = await readMultipart(request, endpoint.body, endpoint.multipart.files, limits);
  try {
    return await use(body.fields, requireOneFile(body.files));
  } finally {
    await body.cleanUp();
  }
}

function personOf(identity: Identity): Importer {
  return { userId: identity.userId, label: identity.label };
}

/** HTTP routes of vulnerability management. */
export function createFindingsRoutes(deps: FindingsRouteDeps): RouteDefinition[] {
  const importEndpoint = endpoints.importScan;
  const reportEndpoint = endpoints.uploadPentestReport;
  const pentestImportEndpoint = endpoints.importPentestFindings;
  const notice = { outbox: deps.outbox, publicUrl: deps.publicUrl };
  const pentestDeps = { ...notice, blobStore: deps.blobStore, tempDir: deps.tempDir };
  const reportLimits: MultipartLimits = {
    maxFileBytes: deps.maxReportBytes,
    tempDir: deps.tempDir,
    tooLargeCode: 'scan.too_large',
  };
  return [
    defineRoute(endpoints.listAssets, ({ uow, query }) => assets.listAssets(uow, query)),
    defineRoute(endpoints.createAsset, ({ uow, body }) => assets.createAsset(uow, body)),
    defineRoute(endpoints.getAsset, ({ uow, params }) => assets.getAsset(uow, params.id)),
    defineRoute(endpoints.updateAsset, ({ uow, params, body }) =>
      assets.updateAsset(uow, params.id, body),
    ),
    defineRoute(endpoints.exportAssetVex, async ({ uow, params, reply }) => {
      const vex = await streamAssetVex(uow, params.id, deps.version);
      void reply
        .type('application/vnd.cyclonedx+json; charset=utf-8')
        .header(
          'content-disposition',
          formatContentDisposition('attachment', `${vex.assetName}.vex.cdx.json`, 'asset'),
        );
      return vex.stream;
    }),
    defineRoute(importEndpoint, async ({ uow, identity, request }) => {
      refuseDeclaredOversize(request, deps.maxReportBytes);
      return useUploadedFile(request, importEndpoint, reportLimits, (fields, file) =>
        importScan(uow, personOf(identity), { fields, file }, notice),
      );
    }),
    defineRoute(endpoints.listScanImports, ({ uow, query }) =>
      findings.listScanImports(uow, query),
    ),
    defineRoute(endpoints.listFindings, ({ uow, query }) => findings.listFindings(uow, query)),
    defineRoute(endpoints.exportFindingsCsv, async ({ uow, query, reply }) => {
      const stream = await streamFindingsCsv(uow, query);
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="findings.csv"');
      // The platform sends whatever a `produces` route returns; the catalogue types CSV as text.
      return stream as unknown as string;
    }),
    defineRoute(endpoints.getVulnerabilityMetrics, ({ uow, query }) =>
      getVulnerabilityMetrics(uow, query),
    ),
    defineRoute(endpoints.getFinding, ({ uow, params }) => findings.getFinding(uow, params.id)),
    defineRoute(endpoints.transitionFinding, ({ uow, identity, params, body }) =>
      findings.transitionFinding(uow, personOf(identity), params.id, body),
    ),
    defineRoute(endpoints.requestRiskAcceptance, ({ uow, identity, params, body }) =>
      acceptances.requestRiskAcceptance(uow, personOf(identity), params.id, body),
    ),
    defineRoute(endpoints.listRiskAcceptances, ({ uow, query }) =>
      acceptances.listRiskAcceptances(uow, query),
    ),
    defineRoute(endpoints.decideRiskAcceptance, ({ uow, identity, params, body }) =>
      acceptances.decideRiskAcceptance(uow, personOf(identity), params.id, body),
    ),
    defineRoute(endpoints.getSlaPolicy, ({ uow }) => getSlaPolicy(uow)),
    defineRoute(endpoints.updateSlaPolicy, ({ uow, identity, body }) =>
      updateSlaPolicy(uow, personOf(identity), body),
    ),
    defineRoute(endpoints.listPentests, ({ uow, query }) => pentests.listPentests(uow, query)),
    defineRoute(endpoints.createPentest, ({ uow, identity, body }) =>
      pentests.createPentest(uow, personOf(identity), body),
    ),
    defineRoute(endpoints.getPentest, ({ uow, params }) => pentests.getPentest(uow, params.id)),
    defineRoute(endpoints.updatePentest, ({ uow, params, body }) =>
      pentests.updatePentest(uow, params.id, body),
    ),
    defineRoute(reportEndpoint, async ({ uow, identity, params, request }) => {
      const limits: MultipartLimits = {
        maxFileBytes: deps.maxEvidenceBytes,
        tempDir: deps.tempDir,
        tooLargeCode: 'evidence.too_large',
      };
      return useUploadedFile(request, reportEndpoint, limits, (fields, file) =>
        pentests.uploadPentestReport(pentestDeps, uow, personOf(identity), params.id, {
          fields,
          file,
        }),
      );
    }),
    defineRoute(endpoints.completePentest, ({ uow, identity, params, body }) =>
      pentests.completePentest(uow, personOf(identity), params.id, body),
    ),
    defineRoute(endpoints.listPentestFindings, ({ uow, params, query }) =>
      pentests.listPentestFindings(uow, params.id, query),
    ),
    defineRoute(endpoints.addPentestFinding, ({ uow, identity, params, body }) =>
      pentests.addPentestFinding(pentestDeps, uow, personOf(identity), params.id, body),
    ),
    defineRoute(pentestImportEndpoint, async ({ uow, identity, params, request }) => {
      refuseDeclaredOversize(request, deps.maxReportBytes);
      return useUploadedFile(request, pentestImportEndpoint, reportLimits, (fields, file) =>
        pentests.importPentestFindings(pentestDeps, uow, personOf(identity), params.id, {
          format: fields.format,
          file,
        }),
      );
    }),
    defineRoute(endpoints.retestPentestFinding, ({ uow, identity, params, body }) =>
      pentests.retestPentestFinding(uow, personOf(identity), params.id, params.findingId, body),
    ),
  ];
}
