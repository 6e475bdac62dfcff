import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './security-policy.service.ts';

/** HTTP routes of the security-policy module. */
export function createSecurityPolicyRoutes(defaults: service.PolicyDefaults): RouteDefinition[] {
  return [
    defineRoute(endpoints.getSecurityPolicy, ({ uow }) => service.getSecurityPolicy(uow, defaults)),
    defineRoute(endpoints.updateSecurityPolicy, ({ uow, body }) =>
      service.updateSecurityPolicy(uow, defaults, body),
    ),
  ];
}
