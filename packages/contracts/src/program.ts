import { z } from 'zod';
import { booleanTextSchema, textListSchema } from './schema-helpers.ts';

/** A calendar day, `YYYY-MM-DD`. */
export const daySchema = z.iso.date();

/** Whether a control is kept, with proof. */
export const controlStatuses = ['passing', 'failing', 'due', 'not_proved'] as const;

/** A control's status. */
export const controlStatusSchema = z.enum(controlStatuses);

/** A control's status. */
export type ControlStatus = z.infer<typeof controlStatusSchema>;

/** How far a control is implemented (OSCAL's implementation states). */
export const implementationStatuses = [
  'implemented',
  'partial',
  'planned',
  'alternative',
  'not_applicable',
] as const;

/** A control's implementation status. */
export const implementationStatusSchema = z.enum(implementationStatuses);

/** Reference frameworks the built-in requirements map to. */
export const referenceFrameworkKeys = ['soc2', 'iso27001', 'csf2'] as const;

/** A reference framework key. */
export const referenceFrameworkSchema = z.enum(referenceFrameworkKeys);

/** An item of a reference framework a requirement maps to. */
export const referenceMappingSchema = z.object({
  framework: referenceFrameworkSchema,
  id: z.string(),
  title: z.string(),
});

/** A person a record points at (an owner, a supplier). */
export const personRefSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

/** Passing controls out of all controls in scope. */
export const readinessSchema = z.object({
  passing: z.number().int(),
  total: z.number().int(),
  /** Percent passing, 0–100, one decimal; 0 when there is nothing in scope. */
  percent: z.number(),
});

/** A framework as listed. */
export const frameworkSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  source: z.enum(['builtin', 'oscal']),
  requirementCount: z.number().int(),
  /** Requirements with at least one control mapped. */
  mappedRequirementCount: z.number().int(),
  readiness: readinessSchema,
  createdAt: z.iso.datetime(),
});

/** A framework. */
export type Framework = z.infer<typeof frameworkSchema>;

/** A short reference to a control, with its current status. */
export const controlRefSchema = z.object({
  id: z.uuid(),
  ref: z.string(),
  title: z.string(),
  status: controlStatusSchema,
});

/** A requirement of a framework. */
export const requirementSchema = z.object({
  id: z.uuid(),
  frameworkId: z.uuid(),
  ref: z.string(),
  label: z.string(),
  title: z.string(),
  body: z.string(),
  guidance: z.string(),
  section: z.number().int().nullable(),
  groupTitle: z.string().nullable(),
  parentRef: z.string().nullable(),
  mappings: z.array(referenceMappingSchema),
  controls: z.array(controlRefSchema),
});

/** A requirement. */
export type Requirement = z.infer<typeof requirementSchema>;

/** A framework with its requirements. */
export const frameworkDetailSchema = z.object({
  framework: frameworkSchema,
  requirements: z.array(requirementSchema),
});

/** A list of frameworks. */
export const frameworkListSchema = z.object({ items: z.array(frameworkSchema) });

/** Text fields of an OSCAL catalog import (the catalog and optional profile are files). */
export const importOscalFieldsSchema = z.strictObject({
  /** Map requirements to existing controls by text similarity above this score (0 = do not map). */
  autoMapThreshold: z.coerce.number().min(0).max(1).default(0),
});

/** What an OSCAL import did. */
export const oscalImportResultSchema = z.object({
  framework: frameworkSchema,
  requirementCount: z.number().int(),
  mappedRequirementCount: z.number().int(),
  durationMs: z.number(),
});

/** A control as listed. */
export const controlSchema = z.object({
  id: z.uuid(),
  ref: z.string(),
  title: z.string(),
  description: z.string(),
  owner: personRefSchema.nullable(),
  section: z.number().int().min(1).max(13).nullable(),
  implementationStatus: implementationStatusSchema,
  status: controlStatusSchema,
  statusReason: z.string(),
  statusChangedAt: z.iso.datetime(),
  archived: z.boolean(),
  requirementCount: z.number().int(),
  checkCount: z.number().int(),
  taskCount: z.number().int(),
  evidenceCount: z.number().int(),
});

/** A control. */
export type Control = z.infer<typeof controlSchema>;

const controlFilterFields = {
  status: controlStatusSchema.optional(),
  section: z.coerce.number().int().min(1).max(13).optional(),
  ownerId: z.uuid().optional(),
  frameworkId: z.uuid().optional(),
  q: z.string().trim().max(200).optional(),
  /** Show each control's status as it was at the end of this day. */
  asOf: daySchema.optional(),
  includeArchived: booleanTextSchema.optional(),
};

/** Filters of the control list and of its CSV export. */
export const controlFilterSchema = z.strictObject(controlFilterFields);

/** Orders of the control list: section (then reference, the default), reference, title, ... */
export const controlSortKeys = ['section', 'ref', 'title', 'status', 'owner', 'changed'] as const;

/** An order of the control list. */
export type ControlSortKey = (typeof controlSortKeys)[number];

/** Largest page of the control list. */
export const maxControlPageSize = 500;

/**
 * Filters, order and page of the control list. `cursor` is the `nextCursor` of the previous page
 * (with the same filters and order); references sort as people read them ("A.5.9" before
 * "A.5.10"); status sorts worst first (failing, due, not proved, passing).
 */
export const controlQuerySchema = z.strictObject({
  ...controlFilterFields,
  sort: z.enum(controlSortKeys).default('section'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(maxControlPageSize).default(50),
  cursor: z.string().min(1).max(1000).optional(),
});

/** A page of controls. */
export const controlListSchema = z.object({
  items: z.array(controlSchema),
  asOf: daySchema.nullable(),
  /** Controls matching the filters, on every page. */
  total: z.number().int().nonnegative(),
  /** The cursor of the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});

const controlRefField = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'Use letters, digits, dots, dashes (up to 40)');

/** Create a control. */
export const createControlSchema = z.strictObject({
  ref: controlRefField,
  title: z.string().trim().min(1, 'Enter a title').max(300),
  description: z.string().max(20_000).default(''),
  ownerId: z.uuid().nullable().default(null),
  section: z.number().int().min(1).max(13).nullable().default(null),
  implementationStatus: implementationStatusSchema.default('planned'),
  requirementIds: z.array(z.uuid()).max(500).default([]),
});

/** Change a control. */
export const updateControlSchema = z.strictObject({
  ref: controlRefField.optional(),
  title: z.string().trim().min(1, 'Enter a title').max(300).optional(),
  description: z.string().max(20_000).optional(),
  ownerId: z.uuid().nullable().optional(),
  section: z.number().int().min(1).max(13).nullable().optional(),
  implementationStatus: implementationStatusSchema.optional(),
  archived: z.boolean().optional(),
});

/** Replace the requirements a control satisfies. */
export const setControlRequirementsSchema = z.strictObject({
  requirementIds: z.array(z.uuid()).max(2000),
});

/** Replace the controls that satisfy a requirement. */
export const setRequirementControlsSchema = z.strictObject({
  controlIds: z.array(z.uuid()).max(500),
});

/** Replace the checks that prove a control. */
export const setControlChecksSchema = z.strictObject({
  checkKeys: z.array(z.string()).max(100),
});

/** Result of a check. */
export const checkStatusSchema = z.enum(['pass', 'fail']);

/** An automated check. */
export const checkSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  latestStatus: checkStatusSchema.nullable(),
  latestSummary: z.string().nullable(),
  latestObservedAt: z.iso.datetime().nullable(),
  controls: z.array(controlRefSchema),
});

/** A list of checks. */
export const checkListSchema = z.object({ items: z.array(checkSchema) });

/** Declare a check (machines and modules report results to it by key). */
export const createCheckSchema = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'Use lower-case letters, digits, dots and dashes'),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  controlIds: z.array(z.uuid()).max(100).default([]),
});

/** Report a check result. */
export const recordCheckResultSchema = z.strictObject({
  status: checkStatusSchema,
  summary: z.string().max(2000).default(''),
  details: z.record(z.string(), z.unknown()).default({}),
  observedAt: z.iso.datetime().optional(),
});

/** The key of a check in a path. */
export const checkKeyParamsSchema = z.strictObject({ key: z.string().min(1).max(100) });

/** A recorded check result. */
export const checkResultSchema = z.object({
  id: z.uuid(),
  checkKey: z.string(),
  status: checkStatusSchema,
  summary: z.string(),
  observedAt: z.iso.datetime(),
  evidenceId: z.uuid(),
});

/** The kinds of evidence. */
export const evidenceKindSchema = z.enum(['file', 'link', 'check_result']);

/** An evidence item (one version). */
export const evidenceSchema = z.object({
  id: z.uuid(),
  lineageId: z.uuid(),
  version: z.number().int(),
  /** Whether a newer version of this lineage exists. */
  isSuperseded: z.boolean(),
  kind: evidenceKindSchema,
  title: z.string(),
  description: z.string(),
  fileName: z.string().nullable(),
  mediaType: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  url: z.string().nullable(),
  collectedAt: z.iso.datetime(),
  effectiveFrom: daySchema,
  effectiveTo: daySchema,
  suppliedBy: z.string(),
  taskId: z.uuid().nullable(),
  controls: z.array(controlRefSchema),
  createdAt: z.iso.datetime(),
  deletedAt: z.iso.datetime().nullable(),
  /** Earliest time it may be deleted (end of retention). */
  retainedUntil: z.iso.datetime(),
});

/** An evidence item. */
export type Evidence = z.infer<typeof evidenceSchema>;

/** An evidence item with all versions of its lineage. */
export const evidenceDetailSchema = z.object({
  evidence: evidenceSchema,
  versions: z.array(evidenceSchema),
});

/** Filters of the evidence library (keyset paginated, newest first). */
export const evidenceQuerySchema = z.strictObject({
  controlId: z.uuid().optional(),
  taskId: z.uuid().optional(),
  kind: evidenceKindSchema.optional(),
  q: z.string().trim().max(200).optional(),
  /** Only evidence whose effective period covers this day. */
  coversDay: daySchema.optional(),
  includeSuperseded: booleanTextSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of evidence. */
export const evidencePageSchema = z.object({
  items: z.array(evidenceSchema),
  nextCursor: z.string().nullable(),
});

const listField = textListSchema.pipe(z.array(z.uuid()).max(100));

/**
 * Text fields of an evidence upload (multipart). Give a `file` part, or `url` for a link.
 * `controlIds` may repeat or be comma-separated. `replaces` makes it a new version of that
 * evidence's lineage.
 */
export const addEvidenceFieldsSchema = z.strictObject({
  title: z.string().trim().min(1, 'Enter a title').max(300),
  description: z.string().max(20_000).default(''),
  url: z
    .url({ protocol: /^https?$/, error: 'Enter an http(s) link' })
    .max(2000)
    .optional(),
  controlIds: listField.default([]),
  taskId: z.uuid().optional(),
  replaces: z.uuid().optional(),
  collectedAt: z.iso.datetime({ offset: true }).optional(),
  effectiveFrom: daySchema.optional(),
  effectiveTo: daySchema.optional(),
});

/** Link evidence to more controls. */
export const linkEvidenceSchema = z.strictObject({ controlIds: z.array(z.uuid()).min(1).max(100) });

/** States of a recurring evidence task. */
export const taskStates = ['upcoming', 'due', 'overdue', 'done'] as const;

/** A task state. */
export const taskStateSchema = z.enum(taskStates);

/** A recurring evidence task. */
export const taskSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  control: controlRefSchema,
  owner: personRefSchema.nullable(),
  cadenceMonths: z.number().int(),
  graceDays: z.number().int(),
  nextDueOn: daySchema,
  state: taskStateSchema,
  lastCompletedAt: z.iso.datetime().nullable(),
  isActive: z.boolean(),
});

/** A task. */
export type Task = z.infer<typeof taskSchema>;

/** A completed occurrence of a task. */
export const taskCompletionSchema = z.object({
  id: z.uuid(),
  dueOn: daySchema,
  completedAt: z.iso.datetime(),
  completedBy: z.string(),
  evidenceIds: z.array(z.uuid()),
  note: z.string(),
});

/** A task with its completions. */
export const taskDetailSchema = z.object({
  task: taskSchema,
  completions: z.array(taskCompletionSchema),
});

/** Filters of the task list. */
export const taskQuerySchema = z.strictObject({
  mine: booleanTextSchema.optional(),
  state: taskStateSchema.optional(),
  controlId: z.uuid().optional(),
  includeInactive: booleanTextSchema.optional(),
});

/** A list of tasks. */
export const taskListSchema = z.object({ items: z.array(taskSchema) });

/** Create a recurring evidence task. */
export const createTaskSchema = z.strictObject({
  controlId: z.uuid(),
  title: z.string().trim().min(1, 'Enter a title').max(300),
  description: z.string().max(20_000).default(''),
  ownerId: z.uuid().nullable().default(null),
  cadenceMonths: z.number().int().min(1).max(60),
  graceDays: z.number().int().min(0).max(365).default(14),
  nextDueOn: daySchema,
});

/** Change a task. */
export const updateTaskSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20_000).optional(),
  ownerId: z.uuid().nullable().optional(),
  cadenceMonths: z.number().int().min(1).max(60).optional(),
  graceDays: z.number().int().min(0).max(365).optional(),
  nextDueOn: daySchema.optional(),
  isActive: z.boolean().optional(),
});

/** Complete the current occurrence of a task with evidence already added. */
export const completeTaskSchema = z.strictObject({
  evidenceIds: z.array(z.uuid()).min(1, 'Attach at least one evidence item').max(50),
  note: z.string().max(5000).default(''),
});

/** How a promise stands, derived from its confirmed controls. */
export const promiseStatuses = ['kept', 'at_risk', 'broken', 'not_proved', 'unmapped'] as const;

/** A promise status. */
export const promiseStatusSchema = z.enum(promiseStatuses);

/** A control suggested for or confirmed on a promise. */
export const promiseControlSchema = controlRefSchema.extend({
  score: z.number(),
  isConfirmed: z.boolean(),
});

/** Current evidence behind a promise: an item covering today, linked to a confirmed control. */
export const promiseEvidenceSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  kind: evidenceKindSchema,
  effectiveTo: daySchema,
  /** References of the promise's confirmed controls this item supports. */
  controlRefs: z.array(z.string()),
});

/** Most evidence items listed on one promise; `evidenceCount` gives them all. */
export const maxPromiseEvidence = 10;

/** One promise of an annex. */
export const promiseSchema = z.object({
  id: z.uuid(),
  annexId: z.uuid(),
  ref: z.string(),
  sectionNumber: z.number().int(),
  sectionTitle: z.string(),
  body: z.string(),
  line: z.number().int().nullable(),
  status: promiseStatusSchema,
  statusReason: z.string(),
  isMappingConfirmed: z.boolean(),
  controls: z.array(promiseControlSchema),
  /** The newest current evidence of its confirmed controls (at most `maxPromiseEvidence`). */
  evidence: z.array(promiseEvidenceSchema),
  /** Current evidence items of its confirmed controls, all of them. */
  evidenceCount: z.number().int(),
});

/** A promise. */
export type AnnexPromise = z.infer<typeof promiseSchema>;

/** An annex as listed. */
export const annexSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  source: z.enum(['default', 'paste', 'upload']),
  fileName: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: z.iso.datetime(),
  promiseCount: z.number().int(),
  counts: z.record(promiseStatusSchema, z.number().int()),
});

/** A list of annexes. */
export const annexListSchema = z.object({ items: z.array(annexSchema) });

/** An annex with its promises. */
export const annexDetailSchema = z.object({
  annex: annexSchema,
  promises: z.array(promiseSchema),
});

/** Import an annex from pasted text (an upload sends the same fields with a `file` part). */
export const importAnnexSchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  text: z.string().max(1_000_000).optional(),
});

/** Confirm (or edit) the controls a promise maps to. */
export const setPromiseControlsSchema = z.strictObject({
  controlIds: z.array(z.uuid()).max(50),
});

/** Organisation-wide program settings. */
export const programSettingsSchema = z.object({
  evidenceRetentionDays: z.number().int().min(30).max(3650),
  taskDueWindowDays: z.number().int().min(1).max(180),
  isDigestEnabled: z.boolean(),
});

/** Change program settings. */
export const updateProgramSettingsSchema = programSettingsSchema.partial().strict();

/** Readiness of one scope on one day. */
export const trendPointSchema = z.object({
  day: daySchema,
  passing: z.number().int(),
  total: z.number().int(),
});

/** Query of the dashboard. */
export const dashboardQuerySchema = z.strictObject({
  trendDays: z.coerce
    .number()
    .int()
    .refine((n) => [30, 90, 365].includes(n), 'Use 30, 90 or 365')
    .default(90),
});

/** A control needing attention, with its owner and why. */
export const attentionItemSchema = controlRefSchema.extend({
  owner: personRefSchema.nullable(),
  statusReason: z.string(),
  section: z.number().int().nullable(),
});

/** The readiness dashboard. */
export const dashboardSchema = z.object({
  generatedAt: z.iso.datetime(),
  overall: readinessSchema,
  bySection: z.array(
    z.object({ section: z.number().int(), title: z.string(), readiness: readinessSchema }),
  ),
  byFramework: z.array(z.object({ id: z.uuid(), name: z.string(), readiness: readinessSchema })),
  byReference: z.array(
    z.object({
      framework: referenceFrameworkSchema,
      name: z.string(),
      /** Items of the reference framework whose mapped controls all pass, of the items mapped. */
      readiness: readinessSchema,
    }),
  ),
  statusCounts: z.record(controlStatusSchema, z.number().int()),
  trend: z.array(trendPointSchema),
  attention: z.array(attentionItemSchema),
  upcomingTasks: z.array(taskSchema),
  promises: z.record(promiseStatusSchema, z.number().int()),
});

/** The readiness dashboard. */
export type Dashboard = z.infer<typeof dashboardSchema>;

/** A control's status on one day. */
export const statusDaySchema = z.object({
  day: daySchema,
  status: controlStatusSchema,
  reason: z.string(),
});

/** A control with everything that proves it. */
/** Kinds of module record that can prove a control. */
export const linkedRecordKinds = ['policy', 'risk'] as const;

/** A module record linked to a control (a policy it enforces, a risk it treats). */
export const linkedRecordSchema = z.object({
  kind: z.enum(linkedRecordKinds),
  id: z.uuid(),
  /** The record's short reference: a policy's key, a risk's R-number. */
  ref: z.string(),
  title: z.string(),
  /** Human status, e.g. "Published v3" or "Open · score 12". */
  status: z.string(),
  /** The web path of the record's detail page. */
  path: z.string(),
});

export const controlDetailSchema = z.object({
  control: controlSchema,
  requirements: z.array(
    requirementSchema.omit({ controls: true }).extend({ frameworkName: z.string() }),
  ),
  checks: z.array(checkSchema.omit({ controls: true })),
  tasks: z.array(taskSchema),
  evidence: z.array(evidenceSchema),
  promises: z.array(
    z.object({ id: z.uuid(), annexId: z.uuid(), ref: z.string(), body: z.string() }),
  ),
  /** Coverage of reference frameworks through this control's requirements. */
  references: z.array(referenceMappingSchema),
  history: z.array(statusDaySchema),
  /** Module records linked to this control, policies first then risks. */
  linkedRecords: z.array(linkedRecordSchema),
});

/** OSCAL models Steward exports. */
export const oscalExportModels = [
  'ssp',
  'component-definition',
  'assessment-results',
  'poam',
] as const;

/** The model of an OSCAL export. */
export const oscalExportParamsSchema = z.strictObject({ model: z.enum(oscalExportModels) });
