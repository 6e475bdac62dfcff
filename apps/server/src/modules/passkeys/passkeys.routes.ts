import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './passkeys.service.ts';

/** HTTP routes for managing one's passkeys (signing in with them lives in auth). */
export function createPasskeyRoutes(deps: service.PasskeyDeps): RouteDefinition[] {
  return [
    defineRoute(endpoints.listPasskeys, async ({ uow, identity }) => ({
      items: await service.listOwnPasskeys(uow, identity),
    })),
    defineRoute(endpoints.passkeyRegistrationOptions, ({ uow, identity }) =>
      service.startRegistration(uow, deps, identity),
    ),
    defineRoute(endpoints.registerPasskey, ({ uow, identity, body }) =>
      service.registerPasskey(uow, deps, identity, body),
    ),
    defineRoute(endpoints.renamePasskey, ({ uow, identity, params, body }) =>
      service.renameOwnPasskey(uow, identity, params.id, body.name),
    ),
    defineRoute(endpoints.removePasskey, async ({ uow, identity, params, body }) => {
      await service.removeOwnPasskey(uow, deps, identity, params.id, body);
      return { ok: true as const };
    }),
  ];
}
