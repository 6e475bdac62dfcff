import { z } from 'zod';

/** Access levels a support engineer may ask for. */
export const supportAccessLevels = ['read', 'write'] as const;

/** An access level. */
export type SupportAccessLevel = (typeof supportAccessLevels)[number];

/** How Steward grants access on a system. */
export const supportAccessMechanisms = ['postgresql', 'webhook'] as const;

/**
 * Request states: pending → approved → active → expired | released | revoked; pending → denied |
 * cancelled; approved → failed when the system never granted the access.
 */
export const supportAccessStatuses = [
  'pending',
  'approved',
  'active',
  'expired',
  'released',
  'revoked',
  'denied',
  'cancelled',
  'failed',
] as const;

/** A request state. */
export type SupportAccessStatus = (typeof supportAccessStatuses)[number];

/** Longest access window any org may allow: 24 hours. */
export const supportAccessMaxMinutes = 1440;

/** Names of PostgreSQL schemas and roles as the systems hold them. */
const pgName = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(63, 'PostgreSQL names are at most 63 characters');

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null));

const userRefSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

/** A customer of the organisation whose data support may need to reach. */
export const customerSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  key: z.string(),
  notes: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A customer. */
export type Customer = z.infer<typeof customerSchema>;

/** `GET /api/v1/customers` response. */
export const customerListSchema = z.object({ items: z.array(customerSchema) });

/** A customer's key: lower-case letters, digits, `-` and `_`. */
export const customerKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Use lower-case letters, digits, - and _ (up to 63)');

/** `POST /api/v1/customers` body. */
export const createCustomerSchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  key: customerKeySchema,
  notes: optionalText(4000),
});

/** `PATCH /api/v1/customers/:id` body. */
export const updateCustomerSchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name').max(200).optional(),
  key: customerKeySchema.optional(),
  notes: optionalText(4000).optional(),
});

/** The org's limits on support access windows. */
export const supportAccessSettingsSchema = z.object({
  defaultDurationMinutes: z.number().int(),
  maxDurationMinutes: z.number().int(),
});

/** `PUT /api/v1/support-access/settings` body. */
export const updateSupportAccessSettingsSchema = z
  .strictObject({
    defaultDurationMinutes: z.number().int().min(1).max(supportAccessMaxMinutes),
    maxDurationMinutes: z.number().int().min(1).max(supportAccessMaxMinutes),
  })
  .refine((s) => s.defaultDurationMinutes <= s.maxDurationMinutes, {
    path: ['defaultDurationMinutes'],
    error: 'The default cannot exceed the maximum',
  });

/** Where a customer's data lives on a system. */
export const supportAccessMappingSchema = z.object({
  customer: z.object({ id: z.uuid(), name: z.string(), key: z.string() }),
  schemaName: z.string().nullable(),
  readRole: z.string().nullable(),
  writeRole: z.string().nullable(),
});

/** A system's support access configuration (secrets only as "set or not"). */
export const supportAccessSystemSchema = z.object({
  system: z.object({
    id: z.uuid(),
    name: z.string(),
    connectorKind: z.string().nullable(),
    holdsCustomerData: z.boolean(),
  }),
  mode: z.enum(supportAccessMechanisms).nullable(),
  postgres: z
    .object({ user: z.string(), hasPassword: z.boolean(), connectionLimit: z.number().int() })
    .nullable(),
  webhook: z.object({ url: z.string(), hasSecret: z.boolean() }).nullable(),
  mappings: z.array(supportAccessMappingSchema),
  updatedAt: z.iso.datetime().nullable(),
});

/** A system's support access configuration. */
export type SupportAccessSystem = z.infer<typeof supportAccessSystemSchema>;

/** `GET /api/v1/support-access/systems` response. */
export const supportAccessSystemListSchema = z.object({
  items: z.array(supportAccessSystemSchema),
});

/** One customer mapping as submitted. */
export const supportAccessMappingInputSchema = z
  .strictObject({
    customerId: z.uuid(),
    schemaName: pgName.nullish().transform((s) => s ?? null),
    readRole: pgName.nullish().transform((s) => s ?? null),
    writeRole: pgName.nullish().transform((s) => s ?? null),
  })
  .refine((m) => m.schemaName !== null || m.readRole !== null || m.writeRole !== null, {
    path: ['schemaName'],
    error: 'Enter a schema or a role',
  });

/**
 * `PUT /api/v1/support-access/systems/:id` body: the mechanism, its credentials (kept when
 * omitted) and the full list of customer mappings.
 */
export const updateSupportAccessSystemSchema = z.strictObject({
  mode: z.enum(supportAccessMechanisms),
  postgres: z
    .strictObject({
      user: pgName,
      password: z.string().min(1).max(1000).optional(),
      connectionLimit: z.number().int().min(1).max(20).default(2),
    })
    .optional(),
  webhook: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' }).max(2000),
      secret: z.string().min(16, 'Use at least 16 characters').max(1000).optional(),
    })
    .optional(),
  mappings: z.array(supportAccessMappingInputSchema).max(10_000).default([]),
});

/** A pre-approved on-call rule. */
export const supportAccessRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  users: z.array(userRefSchema),
  systems: z.array(z.object({ id: z.uuid(), name: z.string() })),
  maxLevel: z.enum(supportAccessLevels),
  maxDurationMinutes: z.number().int(),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** An on-call rule. */
export type SupportAccessRule = z.infer<typeof supportAccessRuleSchema>;

/** `GET /api/v1/support-access/rules` response. */
export const supportAccessRuleListSchema = z.object({ items: z.array(supportAccessRuleSchema) });

/** `POST /api/v1/support-access/rules` body; no systems means any system. */
export const supportAccessRuleInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  userIds: z.array(z.uuid()).min(1, 'Choose at least one person').max(500),
  systemIds: z.array(z.uuid()).max(500).default([]),
  maxLevel: z.enum(supportAccessLevels),
  maxDurationMinutes: z.number().int().min(1).max(supportAccessMaxMinutes),
  enabled: z.boolean().default(true),
});

/** One webhook call of a request. */
export const supportAccessDeliverySchema = z.object({
  id: z.uuid(),
  event: z.enum(['grant', 'revoke']),
  attempt: z.number().int(),
  attemptedAt: z.iso.datetime(),
  statusCode: z.number().int().nullable(),
  acknowledged: z.boolean(),
  response: z.string().nullable(),
  error: z.string().nullable(),
});

/** A support access request and what became of it. */
export const supportAccessRequestSchema = z.object({
  id: z.uuid(),
  customer: z.object({ id: z.uuid(), name: z.string(), key: z.string() }),
  system: z.object({ id: z.uuid(), name: z.string() }),
  mechanism: z.enum(supportAccessMechanisms),
  requester: userRefSchema,
  reason: z.string(),
  ticketRef: z.string(),
  level: z.enum(supportAccessLevels),
  durationMinutes: z.number().int(),
  status: z.enum(supportAccessStatuses),
  decidedBy: z.string().nullable(),
  decidedByUserId: z.uuid().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  decisionReason: z.string().nullable(),
  autoRule: z.object({ id: z.uuid().nullable(), name: z.string() }).nullable(),
  grantedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  endedBy: z.string().nullable(),
  endReason: z.string().nullable(),
  grantUsername: z.string().nullable(),
  grantError: z.string().nullable(),
  revokedOnSystemAt: z.iso.datetime().nullable(),
  revokeError: z.string().nullable(),
  /** A credential waits for its one reveal by the requester. */
  credentialAvailable: z.boolean(),
  credentialRevealedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

/** A support access request. */
export type SupportAccessRequest = z.infer<typeof supportAccessRequestSchema>;

/** A request with its webhook deliveries. */
export const supportAccessRequestDetailSchema = supportAccessRequestSchema.extend({
  deliveries: z.array(supportAccessDeliverySchema),
});

/** `GET /api/v1/support-access/requests` response. */
export const supportAccessRequestListSchema = z.object({
  items: z.array(supportAccessRequestSchema),
});

const booleanQuery = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true'));

/** `GET /api/v1/support-access/requests` filters. */
export const supportAccessRequestQuerySchema = z.strictObject({
  status: z.enum(supportAccessStatuses).optional(),
  /** Only pending, live (approved or active) or ended requests. */
  stage: z.enum(['pending', 'live', 'ended']).optional(),
  customerId: z.uuid().optional(),
  systemId: z.uuid().optional(),
  mine: booleanQuery,
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** `POST /api/v1/support-access/requests` body; duration defaults to the org's default. */
export const createSupportAccessRequestSchema = z.strictObject({
  customerId: z.uuid(),
  systemId: z.uuid(),
  reason: z.string().trim().min(1, 'Explain why access is needed').max(2000),
  ticketRef: z.string().trim().min(1, 'Enter the ticket reference').max(200),
  level: z.enum(supportAccessLevels),
  durationMinutes: z.number().int().min(1).max(supportAccessMaxMinutes).optional(),
});

/** `POST /api/v1/support-access/requests/:id/deny` body. */
export const denySupportAccessSchema = z.strictObject({
  reason: z.string().trim().min(1, 'Give the reason for the denial').max(2000),
});

/** `POST .../release` and `.../revoke` body. */
export const endSupportAccessSchema = z.strictObject({
  reason: z.string().trim().max(2000).optional(),
});

/** The credential of an active grant, shown once to the requester. */
export const supportAccessCredentialSchema = z.object({
  requestId: z.uuid(),
  mechanism: z.enum(supportAccessMechanisms),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  database: z.string().nullable(),
  username: z.string().nullable(),
  password: z.string().nullable(),
  /** Whatever else the system returned (webhook grants). */
  details: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime().nullable(),
});

/** One access to a customer's data, as the access report lists it. */
export const customerAccessRowSchema = z.object({
  requestId: z.uuid(),
  requester: z.string(),
  requesterEmail: z.string(),
  system: z.string(),
  level: z.enum(supportAccessLevels),
  reason: z.string(),
  ticketRef: z.string(),
  requestedAt: z.iso.datetime(),
  approvedBy: z.string().nullable(),
  approval: z.enum(['person', 'on_call_rule', 'none']),
  decidedAt: z.iso.datetime().nullable(),
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  status: z.enum(supportAccessStatuses),
  endedBy: z.string().nullable(),
  endReason: z.string().nullable(),
});

/** `GET /api/v1/customers/:id/access-report` response. */
export const customerAccessReportSchema = z.object({
  customer: customerSchema,
  generatedAt: z.iso.datetime(),
  items: z.array(customerAccessRowSchema),
});

/** A customer's access report as it was stored as evidence. */
export const savedAccessReportSchema = z.object({
  evidenceId: z.uuid(),
  rows: z.number().int(),
});
