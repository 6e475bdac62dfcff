import { endpoints } from '@steward/contracts';
import type { Identity } from '../../platform/authz/identity.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './tokens.service.ts';

function ownerOf(identity: Identity): service.TokenOwner {
  return { userId: identity.userId, role: identity.role };
}

/** HTTP routes of the tokens module. */
export const tokensRoutes = [
  defineRoute(endpoints.listTokens, async ({ uow, identity }) => ({
    items: await service.listTokens(uow, ownerOf(identity)),
  })),
  defineRoute(endpoints.createToken, ({ uow, identity, body }) =>
    service.createToken(uow, ownerOf(identity), body),
  ),
  defineRoute(endpoints.revokeToken, ({ uow, identity, params }) =>
    service.revokeToken(uow, ownerOf(identity), params.id),
  ),
];
