import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { exportOscal } from './oscal-export.service.ts';
import * as service from './program.service.ts';

/** HTTP routes of the program module. */
export function createProgramRoutes(deps: { publicUrl: URL; version: string }): RouteDefinition[] {
  return [
    defineRoute(endpoints.getProgramSettings, ({ uow }) => service.getSettings(uow)),
    defineRoute(endpoints.updateProgramSettings, ({ uow, body }) =>
      service.updateSettings(uow, body),
    ),
    defineRoute(endpoints.getDashboard, ({ uow, query }) => service.getDashboard(uow, query)),
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
