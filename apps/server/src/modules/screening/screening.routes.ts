import { endpoints } from '@steward/contracts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './screening.service.ts';

/** HTTP routes of background screening (all behind `screening.manage`). */
export function createScreeningRoutes(deps: service.ScreeningServiceDeps) {
  return [
    defineRoute(endpoints.getScreeningSettings, ({ uow }) => service.getSettings(uow)),
    defineRoute(endpoints.updateScreeningSettings, ({ uow, body }) =>
      service.updateSettings(uow, body),
    ),
    defineRoute(endpoints.listScreening, ({ uow, query }) => service.listScreening(uow, query)),
    defineRoute(endpoints.getScreening, ({ uow, params }) => service.getScreening(uow, params.id)),
    defineRoute(endpoints.updateScreening, ({ uow, identity, params, body }) =>
      service.updateScreening(uow, identity.userId, params.id, body),
    ),
    defineRoute(endpoints.listScreeningAudits, async ({ uow }) => ({
      items: await service.listAudits(uow),
    })),
    defineRoute(endpoints.recordScreeningAudit, ({ uow, identity, body }) =>
      service.recordAudit(deps, uow, { userId: identity.userId, label: identity.label }, body),
    ),
  ];
}
