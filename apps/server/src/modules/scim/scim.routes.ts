import { endpoints, scimBasePath } from '@steward/contracts';
import type { FastifyReply } from 'fastify';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { ScimClient } from '../../platform/authz/identity.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import { scimMediaType } from '../../platform/http/scim-problem.ts';
import type { JsonObject } from './scim-document.ts';
import * as discovery from './scim-discovery.ts';
import * as groups from './scim-groups.service.ts';
import * as tokens from './scim-tokens.service.ts';
import * as users from './scim-users.service.ts';

function asScim<T>(reply: FastifyReply, value: T): T {
  void reply.type(scimMediaType);
  return value;
}

function created(reply: FastifyReply, resource: JsonObject): JsonObject {
  const meta = resource.meta as { location?: string } | undefined;
  if (meta?.location) void reply.header('location', meta.location);
  return asScim(reply, resource);
}

function patched(reply: FastifyReply, resource: JsonObject | null): JsonObject | undefined {
  if (resource) return asScim(reply, resource);
  void reply.status(204);
  return undefined;
}

/** HTTP routes of the SCIM service provider and of the SCIM token API. */
export function createScimRoutes(deps: {
  publicUrl: URL;
  onPersonChanges?: users.ScimContext['onPersonChanges'];
}) {
  const baseUrl = `${deps.publicUrl.href.replace(/\/+$/, '')}${scimBasePath}`;
  const ctx = (uow: UnitOfWork, client: ScimClient): users.ScimContext => ({
    uow,
    client,
    baseUrl,
    onPersonChanges: deps.onPersonChanges,
  });
  return [
    defineRoute(endpoints.scimServiceProviderConfig, async ({ reply }) =>
      asScim(reply, await Promise.resolve(discovery.serviceProviderConfig(baseUrl))),
    ),
    defineRoute(endpoints.scimListResourceTypes, async ({ reply }) =>
      asScim(reply, await Promise.resolve(discovery.listResourceTypes(baseUrl))),
    ),
    defineRoute(endpoints.scimGetResourceType, async ({ reply, params }) =>
      asScim(reply, await Promise.resolve(discovery.getResourceType(baseUrl, params.id))),
    ),
    defineRoute(endpoints.scimListSchemas, async ({ reply }) =>
      asScim(reply, await Promise.resolve(discovery.listSchemas(baseUrl))),
    ),
    defineRoute(endpoints.scimGetSchema, async ({ reply, params }) =>
      asScim(reply, await Promise.resolve(discovery.getSchema(baseUrl, params.id))),
    ),
    defineRoute(endpoints.scimListUsers, async ({ uow, scimClient, query, reply }) =>
      asScim(reply, await users.listUsers(ctx(uow, scimClient), query)),
    ),
    defineRoute(endpoints.scimCreateUser, async ({ uow, scimClient, body, reply }) =>
      created(reply, await users.createUser(ctx(uow, scimClient), body)),
    ),
    defineRoute(endpoints.scimGetUser, async ({ uow, scimClient, params, query, reply }) =>
      asScim(reply, await users.getUser(ctx(uow, scimClient), params.id, query)),
    ),
    defineRoute(
      endpoints.scimReplaceUser,
      async ({ uow, scimClient, params, query, body, reply }) =>
        asScim(reply, await users.replaceUser(ctx(uow, scimClient), params.id, body, query)),
    ),
    defineRoute(endpoints.scimPatchUser, async ({ uow, scimClient, params, query, body, reply }) =>
      patched(reply, await users.patchUser(ctx(uow, scimClient), params.id, body, query)),
    ),
    defineRoute(endpoints.scimDeleteUser, async ({ uow, scimClient, params }) => {
      await users.deleteUser(ctx(uow, scimClient), params.id);
      return undefined;
    }),
    defineRoute(endpoints.scimListGroups, async ({ uow, scimClient, query, reply }) =>
      asScim(reply, await groups.listGroups(ctx(uow, scimClient), query)),
    ),
    defineRoute(endpoints.scimCreateGroup, async ({ uow, scimClient, body, reply }) =>
      created(reply, await groups.createGroup(ctx(uow, scimClient), body)),
    ),
    defineRoute(endpoints.scimGetGroup, async ({ uow, scimClient, params, query, reply }) =>
      asScim(reply, await groups.getGroup(ctx(uow, scimClient), params.id, query)),
    ),
    defineRoute(
      endpoints.scimReplaceGroup,
      async ({ uow, scimClient, params, query, body, reply }) =>
        asScim(reply, await groups.replaceGroup(ctx(uow, scimClient), params.id, body, query)),
    ),
    defineRoute(endpoints.scimPatchGroup, async ({ uow, scimClient, params, query, body, reply }) =>
      patched(reply, await groups.patchGroup(ctx(uow, scimClient), params.id, body, query)),
    ),
    defineRoute(endpoints.scimDeleteGroup, async ({ uow, scimClient, params }) => {
      await groups.deleteGroup(ctx(uow, scimClient), params.id);
      return undefined;
    }),
    defineRoute(endpoints.listScimTokens, async ({ uow }) => ({
      items: await tokens.listScimTokens(uow),
    })),
    defineRoute(endpoints.createScimToken, ({ uow, identity, body }) =>
      tokens.createScimToken(uow, { label: identity.label, userId: identity.userId }, body),
    ),
    defineRoute(endpoints.revokeScimToken, ({ uow, params }) =>
      tokens.revokeScimToken(uow, params.id),
    ),
  ];
}
