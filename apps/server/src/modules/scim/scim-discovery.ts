// The discovery documents of RFC 7644 §4: what this service provider supports, its resource
// types and its schemas. They are the same for every organisation.
import { scimUrns } from '@steward/contracts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { JsonObject } from './scim-document.ts';
import { listResponse, maxPageSize } from './scim-list.ts';
import { allSchemas, groupResource, userResource, type ResourceSchema } from './scim-schema.ts';

/** `/ServiceProviderConfig`. */
export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [scimUrns.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: maxPageSize },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'The SCIM token of an identity provider connection, created in Steward (steward scim tokens create)',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

function resourceType(resource: ResourceSchema, baseUrl: string): JsonObject {
  return {
    schemas: [scimUrns.resourceType],
    id: resource.name,
    name: resource.name,
    endpoint: resource.endpoint,
    description: resource.core.description,
    schema: resource.core.id,
    schemaExtensions: resource.extensions.map((s) => ({ schema: s.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${resource.name}` },
  };
}

const resources = [userResource, groupResource];

/** `/ResourceTypes`. */
export function listResourceTypes(baseUrl: string): JsonObject {
  const items = resources.map((r) => resourceType(r, baseUrl));
  return listResponse(items.length, 1, items);
}

/** `/ResourceTypes/{name}`. */
export function getResourceType(baseUrl: string, name: string): JsonObject {
  const resource = resources.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (!resource) throw new AppError('scim.not_found', `No resource type ${name}`);
  return resourceType(resource, baseUrl);
}

function schemaDocument(schema: (typeof allSchemas)[number], baseUrl: string): JsonObject {
  return {
    schemas: [scimUrns.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** `/Schemas`. */
export function listSchemas(baseUrl: string): JsonObject {
  const items = allSchemas.map((s) => schemaDocument(s, baseUrl));
  return listResponse(items.length, 1, items);
}

/** `/Schemas/{urn}`. */
export function getSchema(baseUrl: string, urn: string): JsonObject {
  const schema = allSchemas.find((s) => s.id.toLowerCase() === urn.toLowerCase());
  if (!schema) throw new AppError('scim.not_found', `No schema ${urn}`);
  return schemaDocument(schema, baseUrl);
}
