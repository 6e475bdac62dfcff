import { z } from 'zod';
import { daySchema, personRefSchema } from './program.ts';
import { employmentTypeSchema, personStatusSchema } from './people.ts';
import { booleanTextSchema } from './schema-helpers.ts';

/** Where a person's screening stands; an adverse outcome is handled by HR outside Steward. */
export const screeningStatuses = ['not_started', 'in_progress', 'cleared', 'adverse'] as const;

/** A screening status. */
export type ScreeningStatus = (typeof screeningStatuses)[number];

/** Whether screening applies to a person. */
export const screeningApplicabilities = ['applies', 'not_required', 'not_permitted'] as const;

/** A person's screening applicability. */
export type ScreeningApplicability = (typeof screeningApplicabilities)[number];

/** An ISO 3166-1 alpha-2 country code, upper case. */
export const countryCodeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, 'Use a two-letter ISO 3166 country code, e.g. DE'));

/** A role that requires screening: every criterion given must match (case-insensitive). */
export const screeningRoleRuleSchema = z
  .strictObject({
    department: z.string().trim().min(1).max(200).optional(),
    /** Matches when the person's title contains this text. */
    titleContains: z.string().trim().min(1).max(200).optional(),
    employmentType: employmentTypeSchema.optional(),
  })
  .refine(
    (r) =>
      r.department !== undefined || r.titleContains !== undefined || r.employmentType !== undefined,
    { error: 'Name a department, a title or an employment type', path: ['department'] },
  );

/** A country whose law does not permit background screening, with the legal reason. */
export const screeningCountryRuleSchema = z.strictObject({
  country: countryCodeSchema,
  reason: z.string().trim().min(1, 'Give the legal reason').max(1000),
});

/** The org's screening rules. */
export const screeningSettingsSchema = z.object({
  /** Everyone in the directory requires screening, whatever their role. */
  isRequiredForEveryone: z.boolean(),
  roleRules: z.array(
    z.object({
      department: z.string().optional(),
      titleContains: z.string().optional(),
      employmentType: employmentTypeSchema.optional(),
    }),
  ),
  restrictedCountries: z.array(z.object({ country: z.string(), reason: z.string() })),
  updatedAt: z.iso.datetime().nullable(),
});

/** Replace the org's screening rules. */
export const updateScreeningSettingsSchema = z
  .strictObject({
    isRequiredForEveryone: z.boolean().default(false),
    roleRules: z.array(screeningRoleRuleSchema).max(200).default([]),
    restrictedCountries: z.array(screeningCountryRuleSchema).max(250).default([]),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of v.restrictedCountries.entries()) {
      if (seen.has(c.country)) {
        ctx.addIssue({
          code: 'custom',
          path: ['restrictedCountries', i, 'country'],
          message: 'This country is listed twice',
        });
      }
      seen.add(c.country);
    }
  });

/** A person's screening: what applies and why, and the recorded outcome (never the report). */
export const screeningRecordSchema = z.object({
  person: z.object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    department: z.string().nullable(),
    title: z.string().nullable(),
    employmentType: employmentTypeSchema.nullable(),
    status: personStatusSchema,
    startDate: daySchema.nullable(),
  }),
  applicability: z.enum(screeningApplicabilities),
  /** Why screening applies, is not required or is not permitted. */
  reason: z.string(),
  country: z.string().nullable(),
  /** HR's decision overriding the role rules, if any. */
  override: z.enum(['applies', 'not_required']).nullable(),
  overrideReason: z.string(),
  status: z.enum(screeningStatuses),
  completedOn: daySchema.nullable(),
  provider: z.string(),
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: personRefSchema.nullable(),
});

/** Coverage of screening among active people it applies to. */
export const screeningCoverageSchema = z.object({
  /** Active people (not departed) screening applies to. */
  required: z.number().int(),
  cleared: z.number().int(),
  inProgress: z.number().int(),
  notStarted: z.number().int(),
  adverse: z.number().int(),
  /** Active people in a country that does not permit screening (recorded exceptions). */
  notPermitted: z.number().int(),
  /** Percent cleared of required, one decimal; 100 when nobody requires screening. */
  percent: z.number(),
});

/** Filters of the screening list. */
export const screeningQuerySchema = z.strictObject({
  applicability: z.enum(screeningApplicabilities).optional(),
  status: z.enum(screeningStatuses).optional(),
  q: z.string().trim().max(200).optional(),
  includeDeparted: booleanTextSchema.optional(),
});

/** The screening list with coverage. */
export const screeningListSchema = z.object({
  coverage: screeningCoverageSchema,
  items: z.array(screeningRecordSchema),
});

/** Record a person's screening: outcome, dates and provider only. */
export const updateScreeningRecordSchema = z
  .strictObject({
    country: countryCodeSchema.nullable().optional(),
    status: z.enum(screeningStatuses),
    completedOn: daySchema.nullable().default(null),
    provider: z.string().trim().max(200).default(''),
    override: z.enum(['applies', 'not_required']).nullable().default(null),
    overrideReason: z.string().trim().max(1000).default(''),
  })
  .superRefine((v, ctx) => {
    const isFinished = v.status === 'cleared' || v.status === 'adverse';
    if (isFinished && v.completedOn === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['completedOn'],
        message: 'Give the date the screening was completed',
      });
    }
    if (!isFinished && v.completedOn !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['completedOn'],
        message: 'Only a cleared or adverse screening has a completion date',
      });
    }
    if (v.override !== null && v.overrideReason === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['overrideReason'],
        message: 'Say why the role rules do not decide for this person',
      });
    }
  });

/** A quarter, e.g. `2026-Q3`. */
export const quarterSchema = z.string().regex(/^\d{4}-Q[1-4]$/, 'Use a quarter like 2026-Q3');

/** One person hired in an audited quarter and their screening outcome at the audit. */
export const screeningAuditEntrySchema = z.object({
  personId: z.uuid(),
  name: z.string(),
  startDate: daySchema,
  applicability: z.enum(screeningApplicabilities),
  status: z.enum(screeningStatuses),
  completedOn: daySchema.nullable(),
  reason: z.string(),
  /** Cleared, not required, or a recorded exception. */
  isCovered: z.boolean(),
});

/** HR's quarterly audit of the quarter's new hires. */
export const screeningAuditSchema = z.object({
  id: z.uuid(),
  quarter: quarterSchema,
  hired: z.number().int(),
  covered: z.number().int(),
  isComplete: z.boolean(),
  note: z.string(),
  entries: z.array(screeningAuditEntrySchema),
  recordedAt: z.iso.datetime(),
  recordedBy: personRefSchema.nullable(),
  evidenceId: z.uuid().nullable(),
});

/** Record the quarterly audit. */
export const createScreeningAuditSchema = z.strictObject({
  quarter: quarterSchema,
  note: z.string().trim().max(5000).default(''),
});
