import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './password-reset.service.ts';

/** HTTP routes of the password reset module. */
export function createPasswordResetRoutes(deps: service.PasswordResetDeps): RouteDefinition[] {
  return [
    defineRoute(endpoints.requestPasswordReset, async ({ actor, body, request }) => {
      await service.requestPasswordReset(deps, actor, body.email, {
        onUnknownAccount: () =>
          request.log.warn({ ip: request.ip }, 'password reset asked for an unknown account'),
        onMailNotQueued: (error) =>
          request.log.error({ err: error }, 'password reset mail was not queued'),
      });
      return { accepted: true as const };
    }),
    defineRoute(endpoints.confirmPasswordReset, async ({ actor, body }) => {
      await service.confirmPasswordReset(deps, actor, body);
      return { ok: true as const };
    }),
  ];
}
