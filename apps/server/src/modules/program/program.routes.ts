import { endpoints, type Dashboard } from '@steward/contracts';
import { createOrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { exportOscal } from './oscal-export.service.ts';
import * as service from './program.service.ts';

/** HTTP routes of the program module. */
export function createProgramRoutes(deps: { publicUrl: URL; version: string }): RouteDefinition[] {
  const dashboards = createOrgReadMemo<Dashboard>();
  return [
    defineRoute(endpoints.getProgramSettings, ({ uow }) => service.getSettings(uow)),
    defineRoute(endpoints.updateProgramSettings, ({ uow, body }) =>
      service.updateSettings(uow, body),
    ),
    defineRoute(endpoints.getDashboard, async ({ uow, query, request, reply }) => {
      const { etag, value } = await service.getDashboard(
        uow,
        query,
        dashboards,
        request.headers['if-none-match'],
      );
      // Revalidated on every use: the tag changes with every change to the org.
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (value !== undefined) return value;
      void reply.status(304);
      // A 304 carries no body; the response schema applies to 200 only.
      return '' as unknown as Dashboard;
    }),
    defineRoute(endpoints.exportOscal, async ({ uow, params, reply }) => {
      const document = await exportOscal(uow, params.model, deps);
      void reply.header(
        'content-disposition',
        `attachment; filename="steward-${params.model}.json"`,
      );
      return document;
    }),
  ];
}
