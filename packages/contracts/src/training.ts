import { z } from 'zod';
import { daySchema, personRefSchema } from './program.ts';
import { refineAudience, refineBlankNeedsKeyAndTitle } from './schema-helpers.ts';

/** How a module is taken: in Steward, or in an external learning system. */
export const trainingModuleKinds = ['content', 'external'] as const;

/** Which annex check a module counts for. */
export const trainingCategories = ['awareness', 'secure_development', 'other'] as const;

/** A training module's category. */
export type TrainingCategory = (typeof trainingCategories)[number];

/** The life of a module version. */
export const trainingVersionStatuses = ['draft', 'published', 'superseded'] as const;

/** Who a module is assigned to (the same audience model as policies). */
export const trainingAudiences = ['everyone', 'departments', 'roles'] as const;

/** Why someone was assigned a module. */
export const trainingAssignmentReasons = ['onboarding', 'periodic', 'manual'] as const;

/** How a completion was recorded. */
export const trainingCompletionMethods = ['quiz', 'read', 'upload', 'csv', 'api'] as const;

/** Where an assignment stands today. */
export const trainingAssignmentStates = ['pending', 'overdue', 'completed'] as const;

/** An assignment's state. */
export type TrainingAssignmentState = (typeof trainingAssignmentStates)[number];

/** Key of a module: lowercase letters, digits, `_` and `-`. */
export const trainingKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'Use lowercase letters, digits, "_" or "-" (at most 80)');

const choiceKeySchema = z.string().trim().min(1).max(40);

/** A quiz question as an author writes it (the correct choices included). */
export const quizQuestionSchema = z.strictObject({
  key: z.string().trim().min(1).max(40),
  text: z.string().trim().min(1).max(2000),
  choices: z
    .array(z.strictObject({ key: choiceKeySchema, text: z.string().trim().min(1).max(1000) }))
    .min(2)
    .max(10),
  /** Every correct choice; a question without one is refused. */
  correctChoiceKeys: z.array(choiceKeySchema).max(10),
  explanation: z.string().max(2000).default(''),
});

/** A quiz as an author writes it. */
export const quizSchema = z.strictObject({
  passPercent: z.number().int().min(1).max(100),
  questions: z.array(quizQuestionSchema).min(1).max(50),
});

/** A quiz question as a learner sees it: no correct answers, no explanation. */
export const quizQuestionForLearnerSchema = z.object({
  key: z.string(),
  text: z.string(),
  choices: z.array(z.object({ key: z.string(), text: z.string() })),
  /** Whether more than one choice is correct (the learner may pick several). */
  isMultiple: z.boolean(),
});

/** A quiz as a learner sees it. */
export const quizForLearnerSchema = z.object({
  passPercent: z.number().int(),
  questions: z.array(quizQuestionForLearnerSchema),
});

/** A starter module Steward offers. */
export const trainingTemplateSchema = z.object({
  key: z.string(),
  title: z.string(),
  summary: z.string(),
  estimatedMinutes: z.number().int(),
  questions: z.number().int(),
  passPercent: z.number().int(),
});

/** Completion coverage of a module's audience (or of all modules together). */
export const trainingCoverageSchema = z.object({
  /** People the module applies to today. */
  audience: z.number().int(),
  /** Of them, people whose last completion is within the cadence. */
  completed: z.number().int(),
  /** Of them, people with an assignment past its due date. */
  overdue: z.number().int(),
  /** Percent completed, 0–100, one decimal; 100 when the audience is empty. */
  percent: z.number(),
});

/** A module version without its content. */
export const trainingVersionSchema = z.object({
  id: z.uuid(),
  moduleId: z.uuid(),
  number: z.number().int(),
  status: z.enum(trainingVersionStatuses),
  changeSummary: z.string(),
  hasQuiz: z.boolean(),
  questions: z.number().int(),
  createdAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  publishedBy: personRefSchema.nullable(),
});

/** A module version with its content and quiz, answers included (for authors only). */
export const trainingVersionDetailSchema = trainingVersionSchema.extend({
  moduleTitle: z.string(),
  body: z.string(),
  quiz: quizSchema.nullable(),
});

/** A training module as listed. */
export const trainingModuleSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  title: z.string(),
  summary: z.string(),
  kind: z.enum(trainingModuleKinds),
  category: z.enum(trainingCategories),
  audience: z.enum(trainingAudiences),
  audienceValues: z.array(z.string()),
  onboardingDays: z.number().int(),
  cadenceMonths: z.number().int(),
  estimatedMinutes: z.number().int(),
  externalUrl: z.string().nullable(),
  templateKey: z.string().nullable(),
  archivedAt: z.iso.datetime().nullable(),
  published: trainingVersionSchema.nullable(),
  draft: trainingVersionSchema.nullable(),
  coverage: trainingCoverageSchema,
});

/** A module with its versions. */
export const trainingModuleDetailSchema = z.object({
  module: trainingModuleSchema,
  versions: z.array(trainingVersionSchema),
});

const audienceValuesSchema = z.array(z.string().trim().min(1).max(200)).max(100);

const audienceFields = {
  audience: z.enum(trainingAudiences).default('everyone'),
  /** Departments (people directory) or roles, depending on the audience. */
  audienceValues: audienceValuesSchema.default([]),
};

const settingsFields = {
  title: z.string().trim().min(1).max(300),
  summary: z.string().max(2000),
  category: z.enum(trainingCategories),
  onboardingDays: z.number().int().min(1).max(365),
  cadenceMonths: z.number().int().min(1).max(36),
  estimatedMinutes: z.number().int().min(1).max(600),
  externalUrl: z
    .string()
    .trim()
    .max(2000)
    .regex(/^https?:\/\//, 'Use an http(s) address')
    .nullable(),
};

const optionalSettingsFields = {
  title: settingsFields.title.optional(),
  summary: settingsFields.summary.optional(),
  category: settingsFields.category.optional(),
  onboardingDays: settingsFields.onboardingDays.optional(),
  cadenceMonths: settingsFields.cadenceMonths.optional(),
  estimatedMinutes: settingsFields.estimatedMinutes.optional(),
  externalUrl: settingsFields.externalUrl.optional(),
};

/** Create a module, from a starter template or blank, with a first draft version. */
export const createTrainingModuleSchema = z
  .strictObject({
    templateKey: z.string().max(100).optional(),
    key: trainingKeySchema.optional(),
    kind: z.enum(trainingModuleKinds).default('content'),
    body: z.string().max(500_000).optional(),
    quiz: quizSchema.nullable().optional(),
    ...optionalSettingsFields,
    ...audienceFields,
  })
  .superRefine((v, ctx) => {
    refineBlankNeedsKeyAndTitle(v, ctx, 'A blank module needs a key and a title');
    refineAudience(v, ctx);
  });

/** Change a module's settings. */
export const updateTrainingModuleSchema = z
  .strictObject({
    ...optionalSettingsFields,
    audience: z.enum(trainingAudiences).optional(),
    audienceValues: audienceValuesSchema.optional(),
  })
  .superRefine(refineAudience);

/** Start a new draft (copied from the latest version where a field is not given). */
export const createTrainingVersionSchema = z.strictObject({
  body: z.string().max(500_000).optional(),
  quiz: quizSchema.nullable().optional(),
  changeSummary: z.string().max(2000).default(''),
});

/** Edit a draft; `quiz: null` removes the quiz. */
export const updateTrainingVersionSchema = z.strictObject({
  body: z.string().max(500_000).optional(),
  quiz: quizSchema.nullable().optional(),
  changeSummary: z.string().max(2000).optional(),
});

/** What publishing did. */
export const publishTrainingResultSchema = z.object({
  version: trainingVersionSchema,
  /** Assignments created for the audience. */
  assigned: z.number().int(),
});

/** What an assignment run did. */
export const assignTrainingResultSchema = z.object({ assigned: z.number().int() });

/** Query of a module's assignments. */
export const trainingAssignmentQuerySchema = z.strictObject({
  state: z.enum(trainingAssignmentStates).optional(),
});

/** One assignment of a module, as the program sees it. */
export const trainingAssignmentSchema = z.object({
  id: z.uuid(),
  moduleId: z.uuid(),
  personId: z.uuid().nullable(),
  userId: z.uuid().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  department: z.string().nullable(),
  reason: z.enum(trainingAssignmentReasons),
  assignedAt: z.iso.datetime(),
  dueOn: daySchema,
  state: z.enum(trainingAssignmentStates),
  completedAt: z.iso.datetime().nullable(),
  score: z.number().int().nullable(),
  method: z.enum(trainingCompletionMethods).nullable(),
  versionNumber: z.number().int().nullable(),
  attempts: z.number().int(),
});

/** A completion record: person, module version, score, time and method (evidence). */
export const trainingCompletionSchema = z.object({
  id: z.uuid(),
  moduleId: z.uuid(),
  versionId: z.uuid(),
  versionNumber: z.number().int(),
  personId: z.uuid().nullable(),
  userId: z.uuid().nullable(),
  name: z.string(),
  completedAt: z.iso.datetime(),
  score: z.number().int().nullable(),
  method: z.enum(trainingCompletionMethods),
  evidenceId: z.uuid().nullable(),
  externalRef: z.string().nullable(),
  recordedBy: z.string(),
});

/** Coverage of every active module, by category and overall. */
export const trainingCoverageReportSchema = z.object({
  overall: trainingCoverageSchema,
  categories: z.array(
    z.object({ category: z.enum(trainingCategories), coverage: trainingCoverageSchema }),
  ),
  modules: z.array(
    z.object({
      id: z.uuid(),
      key: z.string(),
      title: z.string(),
      category: z.enum(trainingCategories),
      coverage: trainingCoverageSchema,
    }),
  ),
});

/** Text fields of an uploaded completion (certificate of an external course). */
export const uploadTrainingCompletionFieldsSchema = z.strictObject({
  /** The person: their email in the people directory or among Steward users. */
  email: z.string().trim().toLowerCase().max(320),
  completedAt: z.iso.datetime({ offset: true }).optional(),
  score: z.coerce.number().int().min(0).max(100).optional(),
  externalRef: z.string().trim().min(1).max(200).optional(),
});

/** One completion reported by an external learning system. */
export const externalCompletionSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(320),
  moduleKey: z.string().trim().min(1).max(80),
  completedAt: z.iso.datetime({ offset: true }),
  score: z.number().int().min(0).max(100).optional(),
  externalRef: z.string().trim().min(1).max(200).optional(),
});

/** Completions reported by an external learning system through the API (all or nothing). */
export const recordTrainingCompletionsSchema = z.strictObject({
  completions: z.array(externalCompletionSchema).min(1).max(10_000),
});

/** Text fields of a completions CSV import (the file goes in the `file` part). */
export const importTrainingCompletionsFieldsSchema = z.strictObject({
  /** `true`: report what the import would record, change nothing. */
  preview: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/** Columns of a completions CSV. */
export const trainingCompletionCsvColumns = [
  'email',
  'module_key',
  'completed_at',
  'score',
  'external_id',
] as const;

/** What an import does (or would do) to one row or record. */
export const trainingImportRowSchema = z.object({
  /** Line of the file (the header is line 1), or position of the API record from 1. */
  row: z.number().int(),
  email: z.string().nullable(),
  moduleKey: z.string().nullable(),
  action: z.enum(['record', 'duplicate', 'error']),
  errors: z.array(z.object({ column: z.string(), message: z.string() })),
});

/** The result of a completions import (CSV or API) or its preview. */
export const trainingImportResultSchema = z.object({
  preview: z.boolean(),
  applied: z.boolean(),
  summary: z.object({
    rows: z.number().int(),
    record: z.number().int(),
    duplicate: z.number().int(),
    error: z.number().int(),
  }),
  rows: z.array(trainingImportRowSchema),
});

/** A module the signed-in person must take (or took). */
export const myTrainingSchema = z.object({
  assignmentId: z.uuid(),
  moduleId: z.uuid(),
  title: z.string(),
  summary: z.string(),
  kind: z.enum(trainingModuleKinds),
  estimatedMinutes: z.number().int(),
  externalUrl: z.string().nullable(),
  dueOn: daySchema,
  isOverdue: z.boolean(),
  hasQuiz: z.boolean(),
  completedAt: z.iso.datetime().nullable(),
  score: z.number().int().nullable(),
  attempts: z.number().int(),
  /** Score of the latest attempt, if any. */
  lastScore: z.number().int().nullable(),
});

/** A module to take: the lesson and the quiz without its answers. */
export const myTrainingDetailSchema = myTrainingSchema.extend({
  versionId: z.uuid().nullable(),
  versionNumber: z.number().int().nullable(),
  body: z.string(),
  quiz: quizForLearnerSchema.nullable(),
});

/** A learner's answers: per question key, the chosen choice keys. */
export const submitQuizSchema = z.strictObject({
  answers: z.record(z.string().min(1).max(40), z.array(z.string().min(1).max(40)).max(10)),
});

/** The outcome of a quiz attempt; which answers were right is told only once passed. */
export const quizResultSchema = z.object({
  score: z.number().int(),
  passPercent: z.number().int(),
  isPassed: z.boolean(),
  correct: z.number().int(),
  total: z.number().int(),
  /** Per question, after a pass: whether it was answered right and why. */
  review: z.array(z.object({ key: z.string(), isCorrect: z.boolean(), explanation: z.string() })),
  training: myTrainingSchema,
});

/** The completion report of a module kept as evidence of its campaign task. */
export const trainingCampaignEvidenceSchema = z.object({
  evidenceId: z.uuid(),
  /** The evidence task it completes (`training.annual_campaign` or `training.secure_development`). */
  taskId: z.uuid().nullable(),
  taskKey: z.string().nullable(),
  coverage: trainingCoverageSchema,
});
