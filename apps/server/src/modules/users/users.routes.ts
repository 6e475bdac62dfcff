import { endpoints, roleDescriptions, rolePermissions, roles } from '@steward/contracts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './users.service.ts';

/** HTTP routes of the users module. */
export const usersRoutes = [
  defineRoute(endpoints.listRoles, async () => {
    await Promise.resolve();
    return {
      items: roles.map((role) => ({
        role,
        description: roleDescriptions[role],
        permissions: [...rolePermissions[role]],
      })),
    };
  }),
  defineRoute(endpoints.listUsers, async ({ uow }) => ({ items: await service.listUsers(uow) })),
  defineRoute(endpoints.getUser, ({ uow, params }) => service.getUser(uow, params.id)),
  defineRoute(endpoints.createUser, ({ uow, identity, body }) =>
    service.createUser(uow, identity.role, body),
  ),
  defineRoute(endpoints.updateUser, ({ uow, identity, params, body }) =>
    service.updateUser(uow, identity.role, params.id, body, identity.sessionId),
  ),
  defineRoute(endpoints.revokeUserSessions, ({ uow, identity, params }) =>
    service.revokeSessionsOfUser(uow, identity.role, params.id),
  ),
];
