import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './sessions.service.ts';

/** HTTP routes of the sessions module. */
export const sessionsRoutes: RouteDefinition[] = [
  defineRoute(endpoints.listSessions, async ({ uow, identity }) => ({
    items: await service.listSessions(uow, identity),
  })),
  defineRoute(endpoints.revokeSession, ({ uow, identity, params }) =>
    service.revokeOwnSession(uow, identity, params.id),
  ),
];
