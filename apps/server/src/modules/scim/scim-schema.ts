import { employmentTypes, scimUrns } from '@steward/contracts';

/** A SCIM attribute data type (RFC 7643 §2.3). */
export type ScimDataType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';

/** The definition of one attribute, as published under /Schemas (RFC 7643 §7). */
export interface AttributeDef {
  name: string;
  type: ScimDataType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

/** A schema: its URN and attributes. */
export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

/** A resource type: its core schema and the extensions it may carry. */
export interface ResourceSchema {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  core: SchemaDef;
  extensions: SchemaDef[];
}

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

function attr(
  name: string,
  type: ScimDataType,
  description: string,
  options: Options = {},
): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

function multiValued(
  name: string,
  description: string,
  valueType: ScimDataType,
  types: string[],
  extra: AttributeDef[] = [],
): AttributeDef {
  return attr(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attr('value', valueType, `The ${name} value`),
      attr('display', 'string', 'A human-readable name', { mutability: 'immutable' }),
      attr('type', 'string', `The kind of ${name} value`, { canonicalValues: types }),
      attr('primary', 'boolean', 'Whether this is the primary value'),
      ...extra,
    ],
  });
}

/** The `id` attribute every resource has (RFC 7643 §3.1). */
export const idAttribute = attr('id', 'string', 'Unique identifier assigned by Steward', {
  caseExact: true,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'server',
});

/** The `externalId` attribute every resource may have (RFC 7643 §3.1). */
export const externalIdAttribute = attr(
  'externalId',
  'string',
  'The identifier the identity provider gives the resource',
  { caseExact: true },
);

/** The `meta` attribute every resource has (RFC 7643 §3.1). */
export const metaAttribute = attr('meta', 'complex', 'Resource metadata', {
  mutability: 'readOnly',
  subAttributes: [
    attr('resourceType', 'string', 'The resource type', {
      mutability: 'readOnly',
      caseExact: true,
    }),
    attr('created', 'dateTime', 'When the resource was added', { mutability: 'readOnly' }),
    attr('lastModified', 'dateTime', 'When the resource last changed', {
      mutability: 'readOnly',
    }),
    attr('location', 'reference', 'The URI of the resource', {
      mutability: 'readOnly',
      caseExact: true,
    }),
  ],
});

/** The core User schema (RFC 7643 §4.1). */
export const userSchema: SchemaDef = {
  id: scimUrns.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', 'Unique identifier for the user, typically the sign-in name', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', 'complex', "The components of the user's name", {
      subAttributes: [
        attr('formatted', 'string', 'The full name, formatted for display'),
        attr('familyName', 'string', 'The family name'),
        attr('givenName', 'string', 'The given name'),
        attr('middleName', 'string', 'The middle name(s)'),
        attr('honorificPrefix', 'string', 'Honorific prefix, e.g. Ms.'),
        attr('honorificSuffix', 'string', 'Honorific suffix, e.g. III'),
      ],
    }),
    attr('displayName', 'string', 'The name shown for the user'),
    attr('nickName', 'string', 'The casual name of the user'),
    attr('profileUrl', 'reference', "A URI of the user's online profile", {
      referenceTypes: ['external'],
    }),
    attr('title', 'string', "The user's title, e.g. Vice President"),
    attr('userType', 'string', 'The relationship to the organisation, e.g. Employee, Contractor'),
    attr('preferredLanguage', 'string', 'Preferred written or spoken language'),
    attr('locale', 'string', 'Default location for localisation'),
    attr('timezone', 'string', "The user's time zone (IANA)"),
    attr('active', 'boolean', 'Whether the user works for the organisation; false marks a leaver'),
    attr('password', 'string', 'Never stored by Steward', {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValued('emails', 'Email addresses', 'string', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers', 'string', [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    multiValued('ims', 'Instant messaging addresses', 'string', [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
      'qq',
      'yahoo',
    ]),
    multiValued('photos', 'Photos of the user', 'reference', ['photo', 'thumbnail']),
    attr('addresses', 'complex', 'Physical mailing addresses', {
      multiValued: true,
      subAttributes: [
        attr('formatted', 'string', 'The full address, formatted for display'),
        attr('streetAddress', 'string', 'Street address'),
        attr('locality', 'string', 'City or locality'),
        attr('region', 'string', 'State or region'),
        attr('postalCode', 'string', 'Postal code'),
        attr('country', 'string', 'Country (ISO 3166-1 alpha-2)'),
        attr('type', 'string', 'The kind of address', {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', 'boolean', 'Whether this is the primary address'),
      ],
    }),
    attr('groups', 'complex', 'The groups the user belongs to', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', 'The id of the group', { mutability: 'readOnly' }),
        attr('$ref', 'reference', 'The URI of the group', { mutability: 'readOnly' }),
        attr('display', 'string', 'The name of the group', { mutability: 'readOnly' }),
        attr('type', 'string', 'direct', { mutability: 'readOnly' }),
      ],
    }),
    multiValued('entitlements', 'Entitlements of the user', 'string', []),
    multiValued('roles', 'Roles of the user', 'string', []),
    multiValued('x509Certificates', 'Certificates of the user', 'binary', []),
  ],
};

/** The enterprise user extension (RFC 7643 §4.3). */
export const enterpriseUserSchema: SchemaDef = {
  id: scimUrns.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', 'Identifier assigned by the organisation'),
    attr('costCenter', 'string', 'Cost center'),
    attr('organization', 'string', 'Organisation'),
    attr('division', 'string', 'Division'),
    attr('department', 'string', 'Department'),
    attr('manager', 'complex', "The user's manager", {
      subAttributes: [
        attr('value', 'string', 'The id of the manager (or their external id or employee number)'),
        attr('$ref', 'reference', 'The URI of the manager', { referenceTypes: ['User'] }),
        attr('displayName', 'string', 'The name of the manager', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

/** Steward's person extension: what the directory keeps beyond the standard schemas. */
export const stewardUserSchema: SchemaDef = {
  id: scimUrns.stewardUser,
  name: 'StewardPerson',
  description: 'Steward person',
  attributes: [
    attr('employmentType', 'string', 'employee, contractor, intern or other', {
      canonicalValues: [...employmentTypes],
    }),
    attr('startDate', 'string', 'First working day (YYYY-MM-DD)'),
    attr('endDate', 'string', 'Last working day (YYYY-MM-DD)'),
    attr('status', 'string', 'active, on_leave or departed', {
      mutability: 'readOnly',
      canonicalValues: ['active', 'on_leave', 'departed'],
    }),
  ],
};

/** The core Group schema (RFC 7643 §4.2). */
export const groupSchema: SchemaDef = {
  id: scimUrns.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', 'The name of the group', { required: true }),
    attr('members', 'complex', 'The members of the group', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', 'The id of a user', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', 'The URI of the user', {
          mutability: 'immutable',
          referenceTypes: ['User'],
        }),
        attr('type', 'string', 'User', { mutability: 'immutable', canonicalValues: ['User'] }),
        attr('display', 'string', 'The name of the user', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

/** The User resource type. */
export const userResource: ResourceSchema = {
  name: 'User',
  endpoint: '/Users',
  core: userSchema,
  extensions: [enterpriseUserSchema, stewardUserSchema],
};

/** The Group resource type. */
export const groupResource: ResourceSchema = {
  name: 'Group',
  endpoint: '/Groups',
  core: groupSchema,
  extensions: [],
};

/** Every schema this service provider publishes. */
export const allSchemas: SchemaDef[] = [
  userSchema,
  enterpriseUserSchema,
  stewardUserSchema,
  groupSchema,
];

/** Every schema URN a path or filter may name. */
export const knownUrns: string[] = allSchemas.map((s) => s.id);

/** The common attributes (id, externalId, meta) and the core schema's, case-insensitively. */
export function coreAttributes(resource: ResourceSchema): AttributeDef[] {
  return [idAttribute, externalIdAttribute, metaAttribute, ...resource.core.attributes];
}

/** Find an attribute by name, case-insensitively (RFC 7643 §2.1). */
export function findAttribute(
  defs: readonly AttributeDef[] | undefined,
  name: string,
): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return defs?.find((d) => d.name.toLowerCase() === lower);
}

/** Find the schema of a resource by URN, case-insensitively; the core schema included. */
export function findSchema(resource: ResourceSchema, urn: string): SchemaDef | undefined {
  const lower = urn.toLowerCase();
  return [resource.core, ...resource.extensions].find((s) => s.id.toLowerCase() === lower);
}
