import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './account.service.ts';

/** HTTP routes of the account module. */
export function createAccountRoutes(deps: service.AccountDeps): RouteDefinition[] {
  return [
    defineRoute(endpoints.changePassword, async ({ uow, identity, body }) => {
      const { sessionsRevoked } = await service.changePassword(deps, uow, identity, body);
      return { ok: true as const, sessionsRevoked };
    }),
  ];
}
