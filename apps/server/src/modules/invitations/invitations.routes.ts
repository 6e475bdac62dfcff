import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { setSessionCookie } from '../auth/index.ts';
import * as service from './invitations.service.ts';

/** HTTP routes of the invitations module. */
export function createInvitationsRoutes(
  deps: service.InvitationsDeps & { isHttps: boolean },
): RouteDefinition[] {
  return [
    defineRoute(endpoints.listInvitations, async ({ uow }) => ({
      items: await service.listInvitations(uow),
    })),
    defineRoute(endpoints.createInvitation, ({ uow, identity, body }) =>
      service.createInvitation(deps, uow, identity.role, body),
    ),
    defineRoute(endpoints.revokeInvitation, async ({ uow, identity, params }) => {
      await service.revokeInvitation(uow, identity.role, params.id);
      return { ok: true as const };
    }),
    defineRoute(endpoints.acceptInvitation, async ({ actor, body, reply }) => {
      const session = await service.acceptInvitation(deps, actor, body);
      setSessionCookie(reply, session, deps.isHttps);
      return session.me;
    }),
  ];
}
