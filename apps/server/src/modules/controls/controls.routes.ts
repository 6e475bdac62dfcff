import { endpoints } from '@steward/contracts';
import { createOrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as checks from './checks.service.ts';
import { todayUtc } from './control-status.ts';
import * as service from './controls.service.ts';

/** HTTP routes of the controls module: controls and the automated checks that prove them. */
export function createControlsRoutes(): RouteDefinition[] {
  // Pages of a few common lists (first pages, a filter or two) stay memoised per org.
  const lists = createOrgReadMemo<service.ControlList>(32);
  return [
    defineRoute(endpoints.listControls, async ({ uow, query, request, reply }) => {
      const { etag, value } = await service.listControls(
        uow,
        query,
        lists,
        request.headers['if-none-match'],
      );
      // Revalidated on every use: the tag changes with every change to the org.
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (value !== undefined) return value;
      void reply.status(304);
      // A 304 carries no body; the response schema applies to 200 only.
      return '' as unknown as service.ControlList;
    }),
    ...controlsRoutes,
  ];
}

const controlsRoutes = [
  defineRoute(endpoints.exportControlsCsv, async ({ uow, query, reply }) => {
    const csv = await service.exportControlsCsv(uow, query);
    const day = query.asOf ?? todayUtc();
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="controls-${day}.csv"`);
    return csv;
  }),
  defineRoute(endpoints.createControl, ({ uow, body }) => service.createControl(uow, body)),
  defineRoute(endpoints.getControl, ({ uow, params }) => service.getControl(uow, params.id)),
  defineRoute(endpoints.updateControl, ({ uow, params, body }) =>
    service.updateControl(uow, params.id, body),
  ),
  defineRoute(endpoints.setControlRequirements, ({ uow, params, body }) =>
    service.setControlRequirements(uow, params.id, body.requirementIds),
  ),
  defineRoute(endpoints.setControlChecks, ({ uow, params, body }) =>
    service.setControlChecks(uow, params.id, body.checkKeys),
  ),
  defineRoute(endpoints.listChecks, async ({ uow }) => ({ items: await checks.listChecks(uow) })),
  defineRoute(endpoints.createCheck, ({ uow, body }) => checks.createCheck(uow, body)),
  defineRoute(endpoints.recordCheckResult, ({ uow, identity, params, body }) =>
    checks.recordCheckResult(
      uow,
      { userId: identity.userId, label: identity.label },
      params.key,
      body,
    ),
  ),
];
