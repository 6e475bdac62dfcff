import { z } from 'zod';
import type { ErrorCode } from './errors.ts';

/** A calendar day, `YYYY-MM-DD`. */
const personDaySchema = z.iso.date();

/** Where a person stands: working, on leave, or gone. */
export const personStatuses = ['active', 'on_leave', 'departed'] as const;

/** A person's status. */
export const personStatusSchema = z.enum(personStatuses);

/** A person's status. */
export type PersonStatus = z.infer<typeof personStatusSchema>;

/** Where a person's record comes from. */
export const personSources = ['scim', 'csv', 'manual'] as const;

/** A person's source. */
export const personSourceSchema = z.enum(personSources);

/** A person's source. */
export type PersonSource = z.infer<typeof personSourceSchema>;

/** How a person is employed. */
export const employmentTypes = ['employee', 'contractor', 'intern', 'other'] as const;

/** A person's employment type. */
export const employmentTypeSchema = z.enum(employmentTypes);

/** A person's employment type. */
export type EmploymentType = z.infer<typeof employmentTypeSchema>;

/**
 * What happened to a person in the directory: joined it, changed, left (deactivated), came
 * back, or was removed by the identity provider. Lifecycle events are derived from these.
 */
export const personChangeKinds = [
  'created',
  'updated',
  'deactivated',
  'reactivated',
  'removed',
] as const;

/** A kind of directory change. */
export const personChangeKindSchema = z.enum(personChangeKinds);

/** A person of the directory (personnel; distinct from Steward sign-in users). */
export const personSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  email: z.string().nullable(),
  employeeNumber: z.string().nullable(),
  department: z.string().nullable(),
  title: z.string().nullable(),
  manager: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  /** The manager as the source named them, while no person of the directory matches. */
  managerRef: z.string().nullable(),
  employmentType: employmentTypeSchema.nullable(),
  startDate: personDaySchema.nullable(),
  endDate: personDaySchema.nullable(),
  status: personStatusSchema,
  source: personSourceSchema,
  /** The Steward user this person signs in as, when there is one. */
  userId: z.uuid().nullable(),
  /** The identity provider's user name, for people pushed over SCIM. */
  scimUserName: z.string().nullable(),
  /** Whether the identity provider removed the person (they stay, departed, in the directory). */
  isRemovedByIdp: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A person of the directory. */
export type Person = z.infer<typeof personSchema>;

/** One changed field: its value before and after. */
export const fieldChangeSchema = z.object({ from: z.unknown(), to: z.unknown() });

/** One entry of a person's change trail. */
export const personChangeSchema = z.object({
  seq: z.number().int(),
  occurredAt: z.iso.datetime(),
  kind: personChangeKindSchema,
  source: personSourceSchema,
  actorLabel: z.string().nullable(),
  changes: z.record(z.string(), fieldChangeSchema),
});

/** One entry of a person's change trail. */
export type PersonChange = z.infer<typeof personChangeSchema>;

/** A person with their change history (newest first) and SCIM group memberships. */
export const personDetailSchema = z.object({
  person: personSchema,
  changes: z.array(personChangeSchema),
  groups: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
});

/** Filters of the people list (keyset paginated, by name). */
export const personQuerySchema = z.strictObject({
  status: personStatusSchema.optional(),
  source: personSourceSchema.optional(),
  department: z.string().trim().max(200).optional(),
  managerId: z.uuid().optional(),
  /** Part of a name, email or employee number. */
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of people; `nextCursor` continues the list. */
export const personPageSchema = z.object({
  items: z.array(personSchema),
  nextCursor: z.string().nullable(),
});

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

/** Fields of a person entered by hand. */
const personFieldsShape = {
  givenName: optionalText(200),
  familyName: optionalText(200),
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ error: 'Enter a valid email address' }))
    .transform((s) => s.toLowerCase())
    .nullable()
    .optional(),
  employeeNumber: optionalText(100),
  department: optionalText(200),
  title: optionalText(200),
  managerId: z.uuid().nullable().optional(),
  employmentType: employmentTypeSchema.nullable().optional(),
  startDate: personDaySchema.nullable().optional(),
  endDate: personDaySchema.nullable().optional(),
};

/** Add a person by hand. */
export const createPersonSchema = z.strictObject({
  displayName: z.string().trim().min(1, 'Enter a name').max(300),
  ...personFieldsShape,
  status: personStatusSchema.default('active'),
});

/**
 * Change a person; absent fields stay, `null` clears. For people pushed over SCIM only the fields
 * the identity provider does not manage may change (employment type, dates, leave).
 */
export const updatePersonSchema = z.strictObject({
  displayName: z.string().trim().min(1, 'Enter a name').max(300).optional(),
  ...personFieldsShape,
  status: personStatusSchema.optional(),
});

/** Columns of a people CSV; `email` and `name` are required, the others optional. */
export const peopleCsvColumns = [
  'email',
  'name',
  'given_name',
  'family_name',
  'employee_number',
  'department',
  'title',
  'manager_email',
  'employment_type',
  'start_date',
  'end_date',
  'status',
] as const;

/** Text fields of a people CSV import (the file goes in the `file` part). */
export const peopleImportFieldsSchema = z.strictObject({
  /** `true`: report what the import would do, change nothing. */
  preview: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/** What an import does (or would do) to one row of the file. */
export const peopleImportRowSchema = z.object({
  /** Line of the file (the header is line 1). */
  row: z.number().int(),
  email: z.string().nullable(),
  action: z.enum(['create', 'update', 'unchanged', 'error']),
  personId: z.uuid().nullable(),
  changes: z.record(z.string(), fieldChangeSchema),
  errors: z.array(z.object({ column: z.string(), message: z.string() })),
});

/** The result of a people CSV import or its preview. */
export const peopleImportResultSchema = z.object({
  preview: z.boolean(),
  applied: z.boolean(),
  summary: z.object({
    rows: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    error: z.number().int(),
  }),
  rows: z.array(peopleImportRowSchema),
});

/** The result of a people CSV import. */
export type PeopleImportResult = z.infer<typeof peopleImportResultSchema>;

/** A SCIM bearer token of one identity provider connection (never the secret). */
export const scimTokenSchema = z.object({
  id: z.uuid(),
  /** The identity provider connection it belongs to, e.g. "Okta production". */
  name: z.string(),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

/** A SCIM token. */
export type ScimToken = z.infer<typeof scimTokenSchema>;

/** Create a SCIM token for an identity provider connection. */
export const createScimTokenSchema = z.strictObject({
  name: z.string().trim().min(1, 'Name the identity provider connection').max(100),
});

/** A new SCIM token: the secret is shown this once. */
export const createdScimTokenSchema = z.object({ token: scimTokenSchema, secret: z.string() });

/** SCIM tokens of the organisation, newest first. */
export const scimTokenListSchema = z.object({ items: z.array(scimTokenSchema) });

/** Where the SCIM 2.0 service provider lives. */
export const scimBasePath = '/scim/v2';

/** Schema URNs of SCIM 2.0 (RFC 7643/7644) and of Steward's user extension. */
export const scimUrns = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  stewardUser: 'urn:steward:params:scim:schemas:extension:person:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** The `scimType` values of SCIM error responses (RFC 7644 §3.12). */
export const scimErrorTypes = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
] as const;

/** A SCIM error type. */
export type ScimErrorType = (typeof scimErrorTypes)[number];

/** A SCIM error response body. */
export const scimErrorSchema = z.object({
  schemas: z.tuple([z.literal(scimUrns.error)]),
  status: z.string(),
  scimType: z.enum(scimErrorTypes).optional(),
  detail: z.string().optional(),
});

/** The `scimType` answered for each error code on SCIM routes. */
export const scimTypeOfError: Partial<Record<ErrorCode, ScimErrorType>> = {
  'scim.uniqueness': 'uniqueness',
  'scim.invalid_filter': 'invalidFilter',
  'scim.invalid_value': 'invalidValue',
  'scim.invalid_path': 'invalidPath',
  'scim.invalid_syntax': 'invalidSyntax',
  'scim.no_target': 'noTarget',
  'scim.mutability': 'mutability',
  'request.malformed_json': 'invalidSyntax',
  'request.invalid': 'invalidSyntax',
};

/**
 * A SCIM resource or message as JSON. SCIM attribute names are case-insensitive, so bodies are
 * validated against the SCIM schemas by the service, not by a fixed object shape.
 */
export const scimJsonSchema = z.record(z.string(), z.unknown());

/** Query of a SCIM list: filter, paging, projection and order (RFC 7644 §3.4.2). */
export const scimListQuerySchema = z.object({
  filter: z.string().max(4000).optional(),
  startIndex: z.string().max(20).optional(),
  count: z.string().max(20).optional(),
  attributes: z.string().max(2000).optional(),
  excludedAttributes: z.string().max(2000).optional(),
  sortBy: z.string().max(200).optional(),
  sortOrder: z.string().max(20).optional(),
});

/** Projection of a single SCIM resource (RFC 7644 §3.9). */
export const scimProjectionQuerySchema = z.object({
  attributes: z.string().max(2000).optional(),
  excludedAttributes: z.string().max(2000).optional(),
});

/** The id of a SCIM resource; anything that is not one of ours is simply not found. */
export const scimIdParamsSchema = z.strictObject({ id: z.string().min(1).max(300) });
