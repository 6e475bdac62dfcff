import { z } from 'zod';
import { personRefSchema } from './program.ts';
import { booleanTextSchema, textListSchema } from './schema-helpers.ts';

const day = z.iso.date();
const timestamp = z.iso.datetime();

/** How a risk is treated. */
export const riskTreatments = ['mitigate', 'accept', 'transfer', 'avoid'] as const;

/** A risk treatment. */
export type RiskTreatment = (typeof riskTreatments)[number];

/** Where a risk stands: open, accepted by an executive until an expiry, or closed. */
export const riskStatuses = ['open', 'accepted', 'closed'] as const;

/** A risk status. */
export type RiskStatus = (typeof riskStatuses)[number];

/** Bands of the likelihood × impact score: low 1–4, medium 5–9, significant 10–14, high 15–25. */
export const riskScoreBands = ['low', 'medium', 'significant', 'high'] as const;

/** A score band. */
export type RiskScoreBand = (typeof riskScoreBands)[number];

/** Categories offered by the register (others may be typed in). */
export const suggestedRiskCategories = [
  'Access control',
  'Application security',
  'Business continuity',
  'Compliance',
  'Data protection',
  'Infrastructure',
  'People',
  'Physical',
  'Third parties',
] as const;

/** The life of a risk acceptance. */
export const riskAcceptanceRequestStatuses = [
  'pending',
  'approved',
  'rejected',
  'expired',
] as const;

/** What a history entry of a risk records. */
export const riskChangeKinds = [
  'created',
  'updated',
  'reviewed',
  'controls_linked',
  'control_unlinked',
  'acceptance_requested',
  'acceptance_approved',
  'acceptance_rejected',
  'acceptance_expired',
] as const;

/** A likelihood or impact rating, 1 (rare / negligible) to 5 (almost certain / severe). */
export const riskRatingSchema = z
  .number({ error: 'Rate from 1 to 5' })
  .int('Rate from 1 to 5')
  .min(1, 'Rate from 1 to 5')
  .max(5, 'Rate from 1 to 5');

/** A risk acceptance in the register. */
export const riskRegisterAcceptanceSchema = z.object({
  id: z.uuid(),
  riskId: z.uuid(),
  riskRef: z.string(),
  riskTitle: z.string(),
  status: z.enum(riskAcceptanceRequestStatuses),
  justification: z.string(),
  expiresOn: day,
  requestedBy: personRefSchema.nullable(),
  requestedAt: timestamp,
  decidedBy: personRefSchema.nullable(),
  decidedAt: timestamp.nullable(),
  decisionNote: z.string(),
});

/** A risk as listed in the register. */
export const riskSchema = z.object({
  id: z.uuid(),
  ref: z.string(),
  title: z.string(),
  category: z.string(),
  owner: personRefSchema.nullable(),
  inherentLikelihood: z.number().int(),
  inherentImpact: z.number().int(),
  inherentScore: z.number().int(),
  residualLikelihood: z.number().int().nullable(),
  residualImpact: z.number().int().nullable(),
  residualScore: z.number().int().nullable(),
  /** The residual score once rated, else the inherent one. */
  score: z.number().int(),
  band: z.enum(riskScoreBands),
  treatment: z.enum(riskTreatments),
  treatmentDueOn: day.nullable(),
  treatmentCompletedOn: day.nullable(),
  reviewOn: day,
  lastReviewedOn: day.nullable(),
  isReviewOverdue: z.boolean(),
  isTreatmentOverdue: z.boolean(),
  status: z.enum(riskStatuses),
  /** The pending request or the acceptance in force, if any. */
  acceptance: z
    .object({ id: z.uuid(), status: z.enum(riskAcceptanceRequestStatuses), expiresOn: day })
    .nullable(),
  controlCount: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** One entry of a risk's history. */
export const riskChangeSchema = z.object({
  id: z.uuid(),
  kind: z.enum(riskChangeKinds),
  /** Changed fields with their values before and after. */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  note: z.string(),
  actor: z.object({ userId: z.uuid().nullable(), label: z.string() }),
  at: timestamp,
});

/** A control linked to a risk. */
export const riskControlSchema = z.object({
  id: z.uuid(),
  ref: z.string(),
  title: z.string(),
  status: z.string(),
});

/** A risk with its description, plan, controls, acceptances and history (newest first). */
export const riskDetailSchema = riskSchema.extend({
  description: z.string(),
  treatmentPlan: z.string(),
  controls: z.array(riskControlSchema),
  acceptances: z.array(riskRegisterAcceptanceSchema),
  history: z.array(riskChangeSchema),
});

const titleField = z.string().trim().min(1, 'Enter a title').max(300);
const categoryField = z.string().trim().min(1, 'Enter a category').max(100);
const descriptionField = z.string().max(20000);

/** Create a risk; its ref (R-001, ...) is given by the register. */
export const createRiskSchema = z.strictObject({
  title: titleField,
  description: descriptionField.default(''),
  category: categoryField,
  ownerUserId: z.uuid().nullable().default(null),
  inherentLikelihood: riskRatingSchema,
  inherentImpact: riskRatingSchema,
  treatment: z.enum(riskTreatments).default('mitigate'),
  treatmentPlan: descriptionField.default(''),
  treatmentDueOn: day.nullable().default(null),
  residualLikelihood: riskRatingSchema.nullable().default(null),
  residualImpact: riskRatingSchema.nullable().default(null),
  /** The first review date; by default today plus the register's review cadence. */
  reviewOn: day.optional(),
  controlIds: z.array(z.uuid()).max(200).default([]),
});

/** Change a risk; every change lands in its history with the optional note. */
export const updateRiskSchema = z.strictObject({
  title: titleField.optional(),
  description: descriptionField.optional(),
  category: categoryField.optional(),
  ownerUserId: z.uuid().nullable().optional(),
  inherentLikelihood: riskRatingSchema.optional(),
  inherentImpact: riskRatingSchema.optional(),
  treatment: z.enum(riskTreatments).optional(),
  treatmentPlan: descriptionField.optional(),
  treatmentDueOn: day.nullable().optional(),
  treatmentCompletedOn: day.nullable().optional(),
  residualLikelihood: riskRatingSchema.nullable().optional(),
  residualImpact: riskRatingSchema.nullable().optional(),
  reviewOn: day.optional(),
  /** Close a risk or reopen it; "accepted" comes only from an approved acceptance. */
  status: z.enum(['open', 'closed']).optional(),
  note: z.string().trim().max(2000).optional(),
});

/** Sort keys of the register. */
export const riskSortKeys = [
  'ref',
  'title',
  'score',
  'inherentScore',
  'reviewOn',
  'updatedAt',
] as const;

/** Filters and sorting of the register. */
export const riskQuerySchema = z.strictObject({
  status: textListSchema.pipe(z.array(z.enum(riskStatuses)).max(3)).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  ownerUserId: z.uuid().optional(),
  treatment: textListSchema.pipe(z.array(z.enum(riskTreatments)).max(4)).optional(),
  band: textListSchema.pipe(z.array(z.enum(riskScoreBands)).max(4)).optional(),
  /** Review date passed (risks not closed). */
  overdue: booleanTextSchema.optional(),
  /** A heat-map cell: which map, and the cell's likelihood and impact. */
  heat: z.enum(['inherent', 'residual']).optional(),
  likelihood: z.coerce.number().int().min(1).max(5).optional(),
  impact: z.coerce.number().int().min(1).max(5).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(riskSortKeys).default('score'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
});

/** A page of the register with the number of matching risks. */
export const riskPageSchema = z.object({ items: z.array(riskSchema), total: z.number().int() });

/** Counts of risks per cell, indexed [likelihood - 1][impact - 1]. */
const heatGridSchema = z.array(z.array(z.number().int()).length(5)).length(5);

/** The heat map of risks not closed: inherent and residual. */
export const riskHeatMapSchema = z.object({
  inherent: heatGridSchema,
  residual: heatGridSchema,
  /** Risks without residual ratings, shown at their inherent cell on the residual map. */
  unrated: z.number().int(),
  total: z.number().int(),
  openHigh: z.number().int(),
});

/** Link controls to a risk (already linked ones are kept). */
export const linkRiskControlsSchema = z.strictObject({
  controlIds: z.array(z.uuid()).min(1, 'Choose at least one control').max(200),
});

/** Record that a risk was reviewed; the next review moves on by the register's cadence. */
export const reviewRiskSchema = z.strictObject({
  note: z.string().trim().max(2000).default(''),
});

/** Ask an executive to accept a risk until an expiry at most a year away. */
export const requestRiskRegisterAcceptanceSchema = z.strictObject({
  justification: z
    .string()
    .trim()
    .min(10, 'Explain why the risk is acceptable (10 characters or more)')
    .max(5000),
  expiresOn: day,
});

/** An executive's decision on an acceptance request. */
export const decideRiskRegisterAcceptanceSchema = z.strictObject({
  note: z.string().trim().max(2000).default(''),
});

/** Filters of the acceptance list. */
export const riskRegisterAcceptanceQuerySchema = z.strictObject({
  status: z.enum(riskAcceptanceRequestStatuses).optional(),
});

/** Settings of the register. */
export const riskSettingsSchema = z.object({
  reviewCadenceMonths: z.number().int(),
});

/** Change the register's settings. */
export const updateRiskSettingsSchema = z.strictObject({
  reviewCadenceMonths: z
    .number()
    .int()
    .min(1, 'Between 1 and 24 months')
    .max(24, 'Between 1 and 24 months'),
});

/** Kinds of register-wide review. */
export const riskRegisterReviewKinds = ['register_review', 'annual_assessment'] as const;

/** A review of the whole register or the yearly risk assessment. */
export const riskRegisterReviewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(riskRegisterReviewKinds),
  reviewedOn: day,
  reviewer: personRefSchema.nullable(),
  note: z.string(),
  snapshot: z.object({
    total: z.number().int(),
    open: z.number().int(),
    accepted: z.number().int(),
    openHigh: z.number().int(),
    reviewOverdue: z.number().int(),
  }),
  evidenceId: z.uuid().nullable(),
  createdAt: timestamp,
});

/** Record a register review or the yearly assessment; it completes the matching task. */
export const recordRiskRegisterReviewSchema = z.strictObject({
  kind: z.enum(riskRegisterReviewKinds),
  note: z.string().trim().min(1, 'Say what was reviewed and decided').max(5000),
});
