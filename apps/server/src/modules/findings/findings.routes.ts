import { endpoints } from '@steward/contracts';
import type { Identity } from '../../platform/authz/identity.ts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as assets from './assets.service.ts';
import { streamAssetVex, streamFindingsCsv } from './findings-export.service.ts';
import * as findings from './findings.service.ts';
import { getVulnerabilityMetrics } from './metrics.service.ts';
import * as acceptances from './risk-acceptances.service.ts';
import { importScan, requireOneFile, type Importer } from './scan-import.service.ts';
import { getSlaPolicy, updateSlaPolicy } from './sla-policy.service.ts';

/** What the findings routes need. */
export interface FindingsRouteDeps {
  tempDir: string;
  /** Largest report accepted, in bytes. */
  maxReportBytes: number;
  version: string;
}

function personOf(identity: Identity): Importer {
  return { userId: identity.userId, label: identity.label };
}

function attachmentName(name: string): string {
  const fallback = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150) || 'asset';
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** HTTP routes of vulnerability management. */
export function createFindingsRoutes(deps: FindingsRouteDeps): RouteDefinition[] {
  const importEndpoint = endpoints.importScan;
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
        .header('content-disposition', attachmentName(`${vex.assetName}.vex.cdx.json`));
      return vex.stream;
    }),
    defineRoute(importEndpoint, async ({ uow, identity, request }) => {
      const body = await readMultipart(
        request,
        importEndpoint.body,
        importEndpoint.multipart.files,
        {
          maxFileBytes: deps.maxReportBytes,
          tempDir: deps.tempDir,
          tooLargeCode: 'scan.too_large',
        },
      );
      try {
        const file = requireOneFile(body.files);
        return await importScan(uow, personOf(identity), { fields: body.fields, file });
      } finally {
        await body.cleanUp();
      }
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
  ];
}
