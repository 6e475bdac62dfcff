import { z } from 'zod';
import { booleanTextSchema, textListSchema } from './schema-helpers.ts';

// Vulnerability management: assets, scan imports, findings, remediation SLAs, risk acceptances,
// penetration tests, metrics. Every timestamp is ISO 8601 UTC; every day is `YYYY-MM-DD`.

/** What an asset is. */
export const assetKinds = [
  'repository',
  'container_image',
  'host',
  'web_application',
  'cloud_account',
  'other',
] as const;

/** Where an asset runs. */
export const assetEnvironments = ['production', 'staging', 'development'] as const;

/** How much an asset matters to the business. */
export const assetCriticalities = ['critical', 'high', 'medium', 'low'] as const;

/** Severity of a finding, normalised from each tool's own scale. */
export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** A finding severity. */
export type Severity = (typeof severities)[number];

/** Zod schema of a severity. */
export const severitySchema = z.enum(severities);

/**
 * Lifecycle of a finding. `open` is the only state that counts against the SLA; the others are
 * closed: `risk_accepted` (through an approved acceptance, or accepted in the tool's own report),
 * `false_positive`, `not_affected` (VEX), `fixed` (gone from the latest report, or set by a person).
 */
export const findingStates = [
  'open',
  'risk_accepted',
  'false_positive',
  'not_affected',
  'fixed',
] as const;

/** A finding state. */
export type FindingState = (typeof findingStates)[number];

/** Zod schema of a finding state. */
export const findingStateSchema = z.enum(findingStates);

/** States a person may move a finding to directly (risk acceptance goes through approval). */
export const manualTransitionTargets = ['open', 'false_positive', 'not_affected', 'fixed'] as const;

/** What kind of weakness a finding is; it decides how its identity is built. */
export const findingCategories = ['dependency', 'code', 'dast', 'secret', 'configuration'] as const;

/**
 * Where an open finding stands against its deadline: `breached` (past due), `due_soon` (due within
 * `dueSoonDays`), `within`, or `none` (closed, or a severity without a deadline).
 */
export const slaStatuses = ['breached', 'due_soon', 'within', 'none'] as const;

/** Days before the deadline from which an open finding is `due_soon`. */
export const dueSoonDays = 7;

/** Report formats Steward imports; detected from the content when not given. */
export const scanFormats = [
  'sarif',
  'cyclonedx-json',
  'cyclonedx-xml',
  'trivy',
  'grype',
  'npm-audit',
  'osv-scanner',
  'dependency-check',
  'snyk',
  'github-dependabot',
  'gitleaks',
  'semgrep',
  'zap',
  'checkov',
  'tfsec',
  'nuclei',
  'bandit',
  'generic-json',
  'generic-csv',
] as const;

/** Zod schema of a report format. */
export const scanFormatSchema = z.enum(scanFormats);

/** Status of a risk acceptance. */
export const riskAcceptanceStatuses = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'revoked',
] as const;

/** Status of a penetration test engagement. */
export const pentestStatuses = ['planned', 'in_progress', 'completed'] as const;

const day = z.iso.date();
const timestamp = z.iso.datetime();

/** Who did something: a user (with id) or another actor (an import, a job) by label. */
export const actorRefSchema = z.object({ userId: z.uuid().nullable(), label: z.string() });

/** Open findings per severity. */
export const severityCountsSchema = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});

// ---------------------------------------------------------------------------------------------
// Assets

/** An asset: something scanned (a repository, an image, a host...). */
export const assetSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(assetKinds),
  environment: z.enum(assetEnvironments),
  criticality: z.enum(assetCriticalities),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  /** Open findings (duplicates across tools counted once) by severity. */
  openFindings: severityCountsSchema,
  /** When a report was last imported into it, successfully. */
  lastImportAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** An asset. */
export type Asset = z.infer<typeof assetSchema>;

/** Filters of the asset list (by name). */
export const assetQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  kind: z.enum(assetKinds).optional(),
  environment: z.enum(assetEnvironments).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Assets ordered by name. */
export const assetListSchema = z.object({ items: z.array(assetSchema) });

const assetName = z.string().trim().min(1, 'Enter a name').max(300);

/** Create an asset; names are unique in the organisation. */
export const createAssetSchema = z.strictObject({
  name: assetName,
  kind: z.enum(assetKinds).default('other'),
  environment: z.enum(assetEnvironments).default('production'),
  criticality: z.enum(assetCriticalities).default('medium'),
  ownerId: z.uuid().nullable().default(null),
});

/** Change an asset; only the fields given change. */
export const updateAssetSchema = z.strictObject({
  name: assetName.optional(),
  kind: z.enum(assetKinds).optional(),
  environment: z.enum(assetEnvironments).optional(),
  criticality: z.enum(assetCriticalities).optional(),
  ownerId: z.uuid().nullable().optional(),
});

// ---------------------------------------------------------------------------------------------
// Scan imports

/**
 * Text fields of a scan import (multipart, with the report in `file`). `asset` is the asset's
 * name, created when missing. `format` is detected from the content when absent; a given format
 * that the content contradicts is refused. `closeMissing` (default true) closes as fixed the open
 * findings of this asset and tool that the report no longer contains.
 */
export const importScanFieldsSchema = z.strictObject({
  asset: assetName,
  format: scanFormatSchema.optional(),
  closeMissing: booleanTextSchema.default(true),
});

/** A problem that did not stop an import. */
export const importWarningSchema = z.object({ message: z.string() });

const importCountFields = {
  results: z.number().int(),
  findings: z.number().int(),
  created: z.number().int(),
  matched: z.number().int(),
  updated: z.number().int(),
  reactivated: z.number().int(),
  closed: z.number().int(),
};

/**
 * What an import did. `findings` = `created` + `matched` + `reactivated` (results with the same
 * identity merged). `matched` counts known findings seen again; `updated` is the part of them
 * whose fix version, fix availability, locations or occurrence count changed (nothing else is
 * ever overwritten). `closed` counts open findings closed as fixed: absent from the report (with
 * `closeMissing`) or marked fixed by it.
 */
export const scanImportSummarySchema = z.object({
  id: z.uuid(),
  assetId: z.uuid(),
  assetName: z.string(),
  isAssetCreated: z.boolean(),
  format: scanFormatSchema,
  /** The first tool of the report; `tools` lists all of them. */
  tool: z.string(),
  tools: z.array(z.string()),
  ...importCountFields,
  errors: z.array(importWarningSchema),
  durationMs: z.number().int(),
});

/** The summary of an import. */
export type ScanImportSummary = z.infer<typeof scanImportSummarySchema>;

/** One past import (completed or failed) of an asset. */
export const scanImportSchema = z.object({
  id: z.uuid(),
  assetId: z.uuid(),
  assetName: z.string(),
  tool: z.string(),
  tools: z.array(z.string()),
  format: z.string(),
  fileName: z.string().nullable(),
  fileSha256: z.string().nullable(),
  fileSizeBytes: z.number().nullable(),
  closeMissing: z.boolean(),
  status: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  ...importCountFields,
  errors: z.array(importWarningSchema),
  durationMs: z.number().int().nullable(),
  importedBy: actorRefSchema,
  startedAt: timestamp,
  finishedAt: timestamp,
});

/** Import history filters, newest first with keyset pagination. */
export const scanImportQuerySchema = z.strictObject({
  assetId: z.uuid().optional(),
  status: z.enum(['completed', 'failed']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of past imports. */
export const scanImportPageSchema = z.object({
  items: z.array(scanImportSchema),
  nextCursor: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Findings

/** Where a finding was seen: a file position, a URL or a dependency path. */
export const findingLocationSchema = z.object({
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  url: z.string().optional(),
  path: z.string().optional(),
});

/** A finding as listed. */
export const findingSchema = z.object({
  id: z.uuid(),
  assetId: z.uuid(),
  assetName: z.string(),
  tool: z.string(),
  category: z.enum(findingCategories),
  title: z.string(),
  severity: severitySchema,
  state: findingStateSchema,
  ruleId: z.string().nullable(),
  vulnerabilityIds: z.array(z.string()),
  packageName: z.string().nullable(),
  packageVersion: z.string().nullable(),
  fixVersion: z.string().nullable(),
  isFixAvailable: z.boolean().nullable(),
  cvssV3Score: z.number().nullable(),
  cvssV4Score: z.number().nullable(),
  /** In CISA's Known Exploited Vulnerabilities catalog. */
  isKev: z.boolean(),
  occurrences: z.number().int(),
  firstSeenAt: timestamp,
  lastSeenAt: timestamp,
  dueAt: timestamp.nullable(),
  slaStatus: z.enum(slaStatuses),
  /** The finding of another tool (same vulnerability, package and version) this one duplicates. */
  canonicalId: z.uuid().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A finding as listed. */
export type Finding = z.infer<typeof findingSchema>;

/**
 * Filters of the findings list (all server-side). Lists may repeat or be comma-separated.
 * `q` matches a vulnerability id exactly (CVE-…, GHSA-…) or else the title (substring).
 * `includeDuplicates=false` hides findings linked to a canonical finding of another tool.
 * Sorted newest first; `cursor` (from `nextCursor`) continues the list.
 */
export const findingQuerySchema = z.strictObject({
  assetId: z.uuid().optional(),
  severity: textListSchema.pipe(z.array(severitySchema).max(5)).optional(),
  state: textListSchema.pipe(z.array(findingStateSchema).max(5)).optional(),
  tool: z.string().trim().min(1).max(200).optional(),
  category: z.enum(findingCategories).optional(),
  sla: z.enum(['breached', 'due_soon', 'within']).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  isKev: booleanTextSchema.optional(),
  includeDuplicates: booleanTextSchema.default(true),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of findings. */
export const findingPageSchema = z.object({
  items: z.array(findingSchema),
  nextCursor: z.string().nullable(),
});

/** One entry of a finding's history. */
export const findingEventSchema = z.object({
  id: z.string(),
  at: timestamp,
  actor: actorRefSchema,
  /**
   * `created`, `state_changed` (a person), `arrived` (created in a triaged state by the report),
   * `triaged_by_report`, `reactivated`, `closed_missing`, `risk_accepted`, `risk_acceptance_expired`.
   */
  kind: z.string(),
  fromState: findingStateSchema.nullable(),
  toState: findingStateSchema.nullable(),
  reason: z.string().nullable(),
  importId: z.uuid().nullable(),
});

/** A risk acceptance of a finding. */
export const riskAcceptanceSchema = z.object({
  id: z.uuid(),
  findingId: z.uuid(),
  findingTitle: z.string(),
  findingSeverity: severitySchema,
  assetName: z.string(),
  requestedBy: actorRefSchema,
  justification: z.string(),
  expiresOn: day,
  status: z.enum(riskAcceptanceStatuses),
  decidedBy: actorRefSchema.nullable(),
  decidedAt: timestamp.nullable(),
  decisionNote: z.string().nullable(),
  createdAt: timestamp,
});

/** A risk acceptance. */
export type RiskAcceptance = z.infer<typeof riskAcceptanceSchema>;

/** Another finding of the same vulnerability (the canonical one, or a duplicate of this one). */
export const linkedFindingSchema = z.object({
  id: z.uuid(),
  tool: z.string(),
  state: findingStateSchema,
});

/** A finding with everything about it. */
export const findingDetailSchema = findingSchema.extend({
  identityKey: z.string(),
  identityVersion: z.number().int(),
  cwes: z.array(z.number().int()),
  cvssV3Vector: z.string().nullable(),
  cvssV4Vector: z.string().nullable(),
  purl: z.string().nullable(),
  description: z.string().nullable(),
  remediation: z.string().nullable(),
  references: z.array(z.string()),
  locations: z.array(findingLocationSchema),
  stateReason: z.string().nullable(),
  stateChangedAt: timestamp,
  slaStartedAt: timestamp,
  fixedAt: timestamp.nullable(),
  dependencyKey: z.string().nullable(),
  retestStatus: z.enum(['not_retested', 'fixed_verified', 'still_present']).nullable(),
  pentestId: z.uuid().nullable(),
  events: z.array(findingEventSchema),
  riskAcceptances: z.array(riskAcceptanceSchema),
  canonical: linkedFindingSchema.nullable(),
  duplicates: z.array(linkedFindingSchema),
  /** States a person may move it to now (`risk_accepted` only through an approved acceptance). */
  allowedTransitions: z.array(z.enum(manualTransitionTargets)),
});

/** A finding with its history. */
export type FindingDetail = z.infer<typeof findingDetailSchema>;

/** Move a finding to another state, saying why. */
export const transitionFindingSchema = z.strictObject({
  to: z.enum(manualTransitionTargets),
  reason: z.string().trim().min(3, 'Say why').max(2000),
});

// ---------------------------------------------------------------------------------------------
// SLA policy

/** Optional shorter deadlines (days) per severity. */
export const severityDaysSchema = z.strictObject({
  critical: z.number().int().min(1).max(3650).optional(),
  high: z.number().int().min(1).max(3650).optional(),
  medium: z.number().int().min(1).max(3650).optional(),
  low: z.number().int().min(1).max(3650).optional(),
  info: z.number().int().min(1).max(3650).optional(),
});

/**
 * The organisation's remediation policy. A finding is due `<severity>Days` after its SLA clock
 * starts (first seen); the shortest of the severity's days, `productionDays` (production assets),
 * `criticalAssetDays` (critical assets) and `kevDays` (in CISA KEV) applies. `infoDays` null: no
 * deadline. `restartOnReopen`: a reappearing or reopened finding gets a fresh clock (otherwise it
 * keeps its original start). `withinSlaTargetPercent` and `scanFreshnessDays` are the thresholds of
 * the annex checks.
 */
export const slaPolicySchema = z.object({
  criticalDays: z.number().int(),
  highDays: z.number().int(),
  mediumDays: z.number().int(),
  lowDays: z.number().int(),
  infoDays: z.number().int().nullable(),
  productionDays: severityDaysSchema,
  criticalAssetDays: severityDaysSchema,
  kevDays: z.number().int().nullable(),
  restartOnReopen: z.boolean(),
  withinSlaTargetPercent: z.number(),
  scanFreshnessDays: z.number().int(),
  updatedAt: timestamp.nullable(),
});

/** The SLA policy. */
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

const days = z.number().int().min(1).max(3650);

/** Change the SLA policy; due dates of existing findings are recomputed. */
export const updateSlaPolicySchema = z.strictObject({
  criticalDays: days.optional(),
  highDays: days.optional(),
  mediumDays: days.optional(),
  lowDays: days.optional(),
  infoDays: days.nullable().optional(),
  productionDays: severityDaysSchema.optional(),
  criticalAssetDays: severityDaysSchema.optional(),
  kevDays: days.nullable().optional(),
  restartOnReopen: z.boolean().optional(),
  withinSlaTargetPercent: z.number().min(0).max(100).optional(),
  scanFreshnessDays: z.number().int().min(1).max(365).optional(),
});

// ---------------------------------------------------------------------------------------------
// Risk acceptances

/** Longest a risk acceptance may run, in days from its request. */
export const maxRiskAcceptanceDays = 365;

/** Ask to accept the risk of an open finding until `expiresOn` (at most a year away). */
export const requestRiskAcceptanceSchema = z.strictObject({
  justification: z
    .string()
    .trim()
    .min(10, 'Explain the risk and its compensating measures (10 characters or more)')
    .max(5000),
  expiresOn: day,
});

/** Approve or reject a pending request; the decider must not be the requester. */
export const decideRiskAcceptanceSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2000).optional(),
});

/** Filters of the risk acceptance list (newest first). */
export const riskAcceptanceQuerySchema = z.strictObject({
  status: z.enum(riskAcceptanceStatuses).optional(),
  findingId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Risk acceptances, newest first. */
export const riskAcceptanceListSchema = z.object({ items: z.array(riskAcceptanceSchema) });

// ---------------------------------------------------------------------------------------------
// Metrics

/** Age buckets of open findings, in days since first seen. */
export const ageBuckets = ['0-7', '8-30', '31-90', '91-180', '181+'] as const;

/** Filters of the vulnerability metrics. */
export const vulnerabilityMetricsQuerySchema = z.strictObject({
  assetId: z.uuid().optional(),
  months: z.coerce.number().int().min(1).max(36).default(12),
});

/**
 * The vulnerabilities dashboard. Findings linked to a canonical finding of another tool are
 * counted once. `mttr`: mean days from first seen to fixed, per month of the fix and severity.
 * `withinSla`: of findings fixed in the last `windowDays`, the share fixed by their due date.
 */
export const vulnerabilityMetricsSchema = z.object({
  generatedAt: timestamp,
  open: z.object({
    total: z.number().int(),
    bySeverity: severityCountsSchema,
    byAge: z.array(z.object({ bucket: z.enum(ageBuckets), counts: severityCountsSchema })),
    kev: z.number().int(),
  }),
  breaches: z.object({ total: z.number().int(), bySeverity: severityCountsSchema }),
  dueSoon: z.number().int(),
  mttr: z.array(
    z.object({
      month: z.string(),
      severity: severitySchema,
      meanDays: z.number(),
      fixed: z.number().int(),
    }),
  ),
  withinSla: z.object({
    windowDays: z.number().int(),
    remediated: z.number().int(),
    withinSla: z.number().int(),
    /** Percent of remediated findings fixed by their due date; null when none were remediated. */
    percent: z.number().nullable(),
    targetPercent: z.number(),
  }),
  riskAcceptances: z.object({ pending: z.number().int(), approved: z.number().int() }),
});

/** The vulnerabilities dashboard. */
export type VulnerabilityMetrics = z.infer<typeof vulnerabilityMetricsSchema>;

// ---------------------------------------------------------------------------------------------
// Penetration tests

/**
 * Outcome of retesting a penetration test finding: `not_retested` (yet), `fixed_verified` (the
 * tester confirmed the fix; the finding is closed as fixed), `still_present` (the finding stays or
 * becomes open again).
 */
export const retestStatuses = ['not_retested', 'fixed_verified', 'still_present'] as const;

/** Zod schema of a retest outcome. */
export const retestStatusSchema = z.enum(retestStatuses);

/** Findings of an engagement: how many, how many open, and where their retests stand. */
export const pentestFindingCountsSchema = z.object({
  total: z.number().int(),
  open: z.number().int(),
  notRetested: z.number().int(),
  fixedVerified: z.number().int(),
  stillPresent: z.number().int(),
});

/** A penetration test engagement. */
export const pentestSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  tester: z.string(),
  scope: z.string(),
  notes: z.string(),
  startsOn: day,
  endsOn: day,
  status: z.enum(pentestStatuses),
  /** The asset its findings are recorded on (required before findings are added). */
  assetId: z.uuid().nullable(),
  assetName: z.string().nullable(),
  /** The tester's report, stored as evidence. */
  reportEvidenceId: z.uuid().nullable(),
  reportFileName: z.string().nullable(),
  completedAt: timestamp.nullable(),
  findings: pentestFindingCountsSchema,
  createdBy: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A penetration test. */
export type Pentest = z.infer<typeof pentestSchema>;

/** Filters of the penetration test list (newest start first). */
export const pentestQuerySchema = z.strictObject({
  status: z.enum(pentestStatuses).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** Penetration tests, newest first. */
export const pentestListSchema = z.object({ items: z.array(pentestSchema) });

const pentestText = {
  title: z.string().trim().min(1, 'Enter a title').max(300),
  tester: z.string().trim().min(1, 'Name the tester').max(300),
  scope: z.string().max(20_000),
  notes: z.string().max(20_000),
};

/** Plan a penetration test. */
export const createPentestSchema = z
  .strictObject({
    title: pentestText.title,
    tester: pentestText.tester,
    scope: pentestText.scope.default(''),
    notes: pentestText.notes.default(''),
    startsOn: day,
    endsOn: day,
    status: z.enum(['planned', 'in_progress']).default('planned'),
    assetId: z.uuid().nullable().default(null),
  })
  .refine((v) => v.endsOn >= v.startsOn, {
    path: ['endsOn'],
    error: 'The end must be on or after the start',
  });

/** Change a penetration test (not once completed); only the fields given change. */
export const updatePentestSchema = z.strictObject({
  title: pentestText.title.optional(),
  tester: pentestText.tester.optional(),
  scope: pentestText.scope.optional(),
  notes: pentestText.notes.optional(),
  startsOn: day.optional(),
  endsOn: day.optional(),
  status: z.enum(['planned', 'in_progress']).optional(),
  assetId: z.uuid().nullable().optional(),
});

/**
 * Complete a penetration test. It needs its report: the one uploaded to the engagement, or an
 * evidence item already in the library (`reportEvidenceId`). Completing it completes the annual
 * penetration test evidence task with the report.
 */
export const completePentestSchema = z.strictObject({ reportEvidenceId: z.uuid().optional() });

/** Text fields of a report upload (multipart, with the file in `file`). */
export const uploadPentestReportFieldsSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
});

/** Text fields of a findings import into an engagement (multipart, generic format in `file`). */
export const importPentestFindingsFieldsSchema = z.strictObject({
  format: z.enum(['generic-json', 'generic-csv']).optional(),
});

/** A finding of an engagement with its retest outcome. */
export const pentestFindingSchema = findingSchema.extend({
  retestStatus: retestStatusSchema,
  retestedAt: timestamp.nullable(),
});

/** A penetration test finding. */
export type PentestFinding = z.infer<typeof pentestFindingSchema>;

/** Filters of an engagement's findings (most severe first). */
export const pentestFindingQuerySchema = z.strictObject({
  retestStatus: retestStatusSchema.optional(),
  state: findingStateSchema.optional(),
});

/** The findings of an engagement (at most 5,000). */
export const pentestFindingListSchema = z.object({ items: z.array(pentestFindingSchema) });

/** Enter a finding of an engagement by hand; it is recorded on the engagement's asset. */
export const createPentestFindingSchema = z.strictObject({
  title: z.string().trim().min(1, 'Enter a title').max(500),
  severity: severitySchema,
  description: z.string().max(50_000).default(''),
  remediation: z.string().max(20_000).default(''),
  url: z
    .url({ protocol: /^https?$/, error: 'Enter an http(s) URL' })
    .max(2000)
    .optional(),
  file: z.string().trim().min(1).max(1000).optional(),
  line: z.number().int().min(1).optional(),
  component: z.string().trim().min(1).max(300).optional(),
  version: z.string().trim().min(1).max(200).optional(),
  cwe: z.number().int().min(1).max(999_999).optional(),
  cvssV3Vector: z
    .string()
    .trim()
    .regex(/^CVSS:3\.[01]\//, 'Give a CVSS 3.x vector (CVSS:3.1/AV:...)')
    .max(200)
    .optional(),
  vulnerabilityIds: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  references: z.array(z.url().max(2000)).max(50).default([]),
});

/** What a manual entry or an import did to an engagement's findings. */
export const pentestFindingsAddedSchema = z.object({
  /** The summary of the import the findings went in with. */
  import: scanImportSummarySchema,
  /** The findings of the entry or import, now linked to the engagement. */
  findingIds: z.array(z.uuid()),
});

/** Record the retest of an engagement's finding. */
export const retestPentestFindingSchema = z.strictObject({
  status: retestStatusSchema,
  note: z.string().trim().max(2000).default(''),
});

/** Path parameters of one finding of one engagement. */
export const pentestFindingParamsSchema = z.strictObject({ id: z.uuid(), findingId: z.uuid() });
