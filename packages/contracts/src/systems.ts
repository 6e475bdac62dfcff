import { z } from 'zod';

/** Where a system runs. */
export const systemEnvironments = ['production', 'staging', 'development'] as const;

/** How people sign in to a system. */
export const systemSignInMethods = ['sso', 'local'] as const;

/** How much harm a compromise of the system would do. */
export const systemCriticalities = ['low', 'medium', 'high', 'critical'] as const;

/** Where a system's accounts come from. */
export const connectorKinds = ['postgresql', 'csv', 'push', 'scim'] as const;

/** A system's connector kind. */
export type ConnectorKind = (typeof connectorKinds)[number];

/** PostgreSQL TLS modes the connector accepts. */
export const postgresSslModes = ['disable', 'prefer', 'require', 'verify-full'] as const;

/** Account states: present and usable, present but unusable, gone from the system. */
export const accountStatuses = ['active', 'disabled', 'removed'] as const;

/** An account's status. */
export type AccountStatus = (typeof accountStatuses)[number];

/** What an account is for: a person's work, or a machine's. */
export const accountTypes = ['user', 'service'] as const;

/** How an account was matched to a person. */
export const linkMethods = ['email', 'username', 'manual'] as const;

/** Kinds of entitlements an account holds. */
export const entitlementKinds = ['role', 'group', 'privilege'] as const;

/** An entitlement kind. */
export type EntitlementKind = (typeof entitlementKinds)[number];

/** Flags computed per account. */
export const accountFlags = [
  'orphaned',
  'shared',
  'privileged_without_mfa',
  'dormant',
  'excess',
] as const;

/** A computed account flag. */
export type AccountFlag = (typeof accountFlags)[number];

/** Sync outcomes. */
export const syncStatuses = ['succeeded', 'failed'] as const;

/** What started a sync. */
export const syncTriggers = ['manual', 'schedule', 'api'] as const;

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable();

/** PostgreSQL connection settings; the password is write-only. */
export const postgresConnectorInputSchema = z.strictObject({
  host: trimmed(255),
  port: z.number().int().min(1).max(65535).default(5432),
  database: trimmed(63),
  user: trimmed(63),
  /** Omit to keep the stored password. */
  password: z.string().min(1).max(1000).optional(),
  sslmode: z.enum(postgresSslModes).default('prefer'),
});

/** PostgreSQL connection settings as shown: never the password. */
export const postgresConnectorSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  database: z.string(),
  user: z.string(),
  sslmode: z.enum(postgresSslModes),
  hasPassword: z.boolean(),
});

const systemFields = {
  name: trimmed(200),
  description: optionalText(4000).optional(),
  ownerUserId: z.uuid().nullable().optional(),
  environment: z.enum(systemEnvironments),
  holdsCustomerData: z.boolean().default(false),
  signInMethod: z.enum(systemSignInMethods),
  ssoSupported: z.boolean().default(false),
  mfaEnforced: z.boolean().default(false),
  criticality: z.enum(systemCriticalities).default('medium'),
  reviewCadenceMonths: z.number().int().min(1).max(24).default(3),
  adminLimit: z.number().int().min(0).max(10000).nullable().optional(),
  connectorKind: z.enum(connectorKinds).nullable().default(null),
  postgres: postgresConnectorInputSchema.nullable().optional(),
  syncIntervalHours: z.number().int().min(1).max(720).nullable().optional(),
};

/** `POST /api/v1/systems` body. */
export const createSystemSchema = z.strictObject(systemFields);

/** `PATCH /api/v1/systems/:id` body: any field to change. */
export const updateSystemSchema = z.strictObject({
  name: systemFields.name.optional(),
  description: systemFields.description,
  ownerUserId: systemFields.ownerUserId,
  environment: systemFields.environment.optional(),
  holdsCustomerData: z.boolean().optional(),
  signInMethod: systemFields.signInMethod.optional(),
  ssoSupported: z.boolean().optional(),
  mfaEnforced: z.boolean().optional(),
  criticality: z.enum(systemCriticalities).optional(),
  reviewCadenceMonths: z.number().int().min(1).max(24).optional(),
  adminLimit: systemFields.adminLimit,
  connectorKind: z.enum(connectorKinds).nullable().optional(),
  postgres: systemFields.postgres,
  syncIntervalHours: systemFields.syncIntervalHours,
});

/** A system's latest sync, as shown with the system. */
export const syncSummarySchema = z.object({
  at: z.iso.datetime().nullable(),
  status: z.enum(syncStatuses).nullable(),
});

/** A system of the inventory. */
export const systemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  owner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
  environment: z.enum(systemEnvironments),
  holdsCustomerData: z.boolean(),
  signInMethod: z.enum(systemSignInMethods),
  ssoSupported: z.boolean(),
  mfaEnforced: z.boolean(),
  criticality: z.enum(systemCriticalities),
  reviewCadenceMonths: z.number().int(),
  adminLimit: z.number().int().nullable(),
  connectorKind: z.enum(connectorKinds).nullable(),
  postgres: postgresConnectorSchema.nullable(),
  syncIntervalHours: z.number().int().nullable(),
  nextSyncAt: z.iso.datetime().nullable(),
  lastSync: syncSummarySchema,
  retiredAt: z.iso.datetime().nullable(),
  counts: z.object({
    active: z.number().int(),
    disabled: z.number().int(),
    removed: z.number().int(),
    privileged: z.number().int(),
    flagged: z.number().int(),
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A system of the inventory. */
export type System = z.infer<typeof systemSchema>;

/** `GET /api/v1/systems` query. */
export const systemQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  environment: z.enum(systemEnvironments).optional(),
  includeRetired: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** The systems of the inventory. */
export const systemListSchema = z.object({ items: z.array(systemSchema) });

/** Result of a connection test. */
export const connectionTestSchema = z.object({
  ok: z.literal(true),
  serverVersion: z.string(),
  roles: z.number().int(),
});

/** Counts of a sync. */
export const syncCountsSchema = z.object({
  received: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  disabled: z.number().int(),
  reactivated: z.number().int(),
  removed: z.number().int(),
  linked: z.number().int(),
});

/** Counts of a sync. */
export type SyncCounts = z.infer<typeof syncCountsSchema>;

/** One sync of a system's accounts. */
export const systemSyncSchema = z.object({
  id: z.uuid(),
  systemId: z.uuid(),
  source: z.enum(connectorKinds),
  trigger: z.enum(syncTriggers),
  actorLabel: z.string().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  status: z.enum(syncStatuses),
  counts: syncCountsSchema.partial(),
  error: z.string().nullable(),
});

/** One sync of a system's accounts. */
export type SystemSync = z.infer<typeof systemSyncSchema>;

/** The sync history of a system, newest first. */
export const systemSyncListSchema = z.object({ items: z.array(systemSyncSchema) });

/** One account change recorded by a sync or a link. */
export const accountChangeSchema = z.object({
  accountId: z.uuid(),
  externalId: z.string(),
  kind: z.enum(['added', 'changed', 'disabled', 'reactivated', 'removed', 'linked', 'unlinked']),
  occurredAt: z.iso.datetime(),
  changes: z.record(z.string(), z.unknown()),
});

/** A sync with the changes it made. */
export const systemSyncDetailSchema = systemSyncSchema.extend({
  changes: z.array(accountChangeSchema),
});

/** `GET /api/v1/systems/:id/syncs/:syncId` params. */
export const syncParamsSchema = z.strictObject({ id: z.uuid(), syncId: z.uuid() });

/** One entitlement in a snapshot. */
export const snapshotEntitlementSchema = z.strictObject({
  kind: z.enum(entitlementKinds),
  name: trimmed(500),
  privileged: z.boolean().default(false),
});

/** One account in a snapshot. */
export const snapshotAccountSchema = z.strictObject({
  externalId: trimmed(500),
  username: optionalText(500).optional(),
  email: z
    .string()
    .trim()
    .max(320)
    .pipe(z.email({ error: 'Enter a valid email address' }))
    .transform((s) => s.toLowerCase())
    .nullable()
    .optional(),
  displayName: optionalText(500).optional(),
  status: z.enum(['active', 'disabled']).default('active'),
  privileged: z.boolean().default(false),
  mfaEnabled: z.boolean().nullable().optional(),
  lastSignInAt: z.iso.datetime({ offset: true }).nullable().optional(),
  validUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  entitlements: z.array(snapshotEntitlementSchema).max(1000).default([]),
});

/** One account in a snapshot. */
export type SnapshotAccount = z.infer<typeof snapshotAccountSchema>;

/** `PUT /api/v1/systems/:id/accounts` body: every account the system holds now. */
export const accountSnapshotSchema = z.strictObject({
  accounts: z.array(snapshotAccountSchema).max(100_000),
});

/** `POST /api/v1/systems/:id/accounts/import` text fields. */
export const accountsImportFieldsSchema = z.strictObject({
  preview: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** The columns an accounts CSV may have. */
export const accountsCsvColumns = [
  'external_id',
  'username',
  'email',
  'display_name',
  'status',
  'privileged',
  'mfa_enabled',
  'last_sign_in_at',
  'valid_until',
  'roles',
  'groups',
  'privileges',
] as const;

/** A problem of one CSV row. */
export const importRowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});

/** `POST /api/v1/systems/:id/accounts/import` response (also of a preview). */
export const accountsImportResultSchema = z.object({
  preview: z.boolean(),
  applied: z.boolean(),
  counts: syncCountsSchema,
  errors: z.array(importRowErrorSchema),
  /** What would change (preview) or changed, per account, at most 500. */
  changes: z.array(
    z.object({
      externalId: z.string(),
      kind: z.enum(['added', 'changed', 'disabled', 'reactivated', 'removed']),
    }),
  ),
  sync: systemSyncSchema.nullable(),
});

/** Result of an accounts import. */
export type AccountsImportResult = z.infer<typeof accountsImportResultSchema>;

/** An entitlement an account holds. */
export const entitlementSchema = z.object({
  kind: z.enum(entitlementKinds),
  name: z.string(),
  privileged: z.boolean(),
  firstSeenAt: z.iso.datetime(),
  /** Not granted by any of the person's role profiles. */
  excess: z.boolean(),
});

/** An account of a system, with its computed flags. */
export const accountSchema = z.object({
  id: z.uuid(),
  system: z.object({ id: z.uuid(), name: z.string() }),
  externalId: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  accountType: z.enum(accountTypes),
  serviceOwner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  person: z.object({ id: z.uuid(), displayName: z.string(), status: z.string() }).nullable(),
  linkMethod: z.enum(linkMethods).nullable(),
  status: z.enum(accountStatuses),
  privileged: z.boolean(),
  privilegeJustification: z.string().nullable(),
  mfaEnabled: z.boolean().nullable(),
  lastSignInAt: z.iso.datetime().nullable(),
  validUntil: z.iso.datetime().nullable(),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  disabledAt: z.iso.datetime().nullable(),
  removedAt: z.iso.datetime().nullable(),
  entitlementCount: z.number().int(),
  flags: z.array(z.enum(accountFlags)),
});

/** An account of a system. */
export type Account = z.infer<typeof accountSchema>;

/** An account with its entitlements and change history. */
export const accountDetailSchema = accountSchema.extend({
  entitlements: z.array(entitlementSchema),
  history: z.array(accountChangeSchema),
});

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `GET /api/v1/accounts` query. */
export const accountQuerySchema = z.strictObject({
  systemId: z.uuid().optional(),
  personId: z.uuid().optional(),
  status: z.enum(accountStatuses).optional(),
  flag: z.enum(accountFlags).optional(),
  privileged: booleanQuery.optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(600).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A page of accounts by system and external id; `nextCursor` fetches the next page. */
export const accountPageSchema = z.object({
  items: z.array(accountSchema),
  nextCursor: z.string().nullable(),
});

/** `PATCH /api/v1/accounts/:id` body. */
export const updateAccountSchema = z.strictObject({
  accountType: z.enum(accountTypes).optional(),
  serviceOwnerUserId: z.uuid().nullable().optional(),
  privilegeJustification: optionalText(2000).optional(),
});

/** `PUT /api/v1/accounts/:id/link` body. */
export const linkAccountSchema = z.strictObject({ personId: z.uuid() });

/** An entitlement of a system's catalogue with how many active accounts hold it. */
export const systemEntitlementSchema = z.object({
  kind: z.enum(entitlementKinds),
  name: z.string(),
  privileged: z.boolean(),
  accounts: z.number().int(),
});

/** A system's entitlement catalogue. */
export const systemEntitlementListSchema = z.object({ items: z.array(systemEntitlementSchema) });

/** The org's settings for account flags. */
export const systemSettingsSchema = z.object({ dormantDays: z.number().int() });

/** `PUT /api/v1/systems-settings` body. */
export const updateSystemSettingsSchema = z.strictObject({
  dormantDays: z.number().int().min(1).max(3650),
});

/** An entitlement a role profile allows on a system. */
export const profileEntitlementSchema = z.strictObject({
  systemId: z.uuid(),
  kind: z.enum(entitlementKinds),
  name: trimmed(500),
});

/** `POST /api/v1/access-profiles` and `PUT /api/v1/access-profiles/:id` body. */
export const accessProfileInputSchema = z.strictObject({
  name: trimmed(200),
  description: optionalText(4000).optional(),
  /** People of this department (and title, when set) hold the profile. */
  matchDepartment: optionalText(300).optional(),
  matchTitle: optionalText(300).optional(),
  /** People who hold the profile whatever their department. */
  personIds: z.array(z.uuid()).max(10_000).default([]),
  entitlements: z.array(profileEntitlementSchema).max(10_000).default([]),
});

/** A role profile: what a role allows on each system. */
export const accessProfileSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  matchDepartment: z.string().nullable(),
  matchTitle: z.string().nullable(),
  people: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
  entitlements: z.array(
    z.object({
      systemId: z.uuid(),
      systemName: z.string(),
      kind: z.enum(entitlementKinds),
      name: z.string(),
    }),
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A role profile. */
export type AccessProfile = z.infer<typeof accessProfileSchema>;

/** The org's role profiles. */
export const accessProfileListSchema = z.object({ items: z.array(accessProfileSchema) });
