import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './mfa.service.ts';

/** HTTP routes of the MFA module (the sign-in step lives with sign-in, in auth). */
export function createMfaRoutes(deps: service.MfaDeps): RouteDefinition[] {
  return [
    defineRoute(endpoints.getMfaStatus, ({ uow, identity }) =>
      service.getMfaStatus(uow, deps, identity),
    ),
    defineRoute(endpoints.startTotpEnrolment, ({ uow, identity }) =>
      service.startTotpEnrolment(uow, deps, identity),
    ),
    defineRoute(endpoints.confirmTotp, ({ uow, identity, body }) =>
      service.confirmTotpEnrolment(uow, deps, identity, body.code),
    ),
    defineRoute(endpoints.removeTotp, async ({ uow, identity, body }) => {
      await service.removeTotp(uow, deps, identity, body);
      return { ok: true as const };
    }),
    defineRoute(endpoints.regenerateRecoveryCodes, ({ uow, identity, body }) =>
      service.regenerateRecoveryCodes(uow, deps, identity, body.code),
    ),
  ];
}
