import { z } from 'zod';
import { daySchema, personRefSchema } from './program.ts';

/** The life of a management review: written as a draft, then held (a record that stays). */
export const managementReviewStatuses = ['draft', 'held'] as const;

/** A management review's status. */
export type ManagementReviewStatus = (typeof managementReviewStatuses)[number];

/** States of an action item decided at a review. */
export const reviewActionStatuses = ['open', 'done', 'cancelled'] as const;

/** An action item's state. */
export type ReviewActionStatus = (typeof reviewActionStatuses)[number];

/** Readiness of one annex section when the agenda was built. */
export const agendaSectionSchema = z.object({
  section: z.number().int(),
  title: z.string(),
  passing: z.number().int(),
  total: z.number().int(),
  percent: z.number(),
});

/** The agenda's figures, taken from live data when the review was created and frozen there. */
export const reviewAgendaSchema = z.object({
  builtAt: z.iso.datetime(),
  /** The last held review before this one, whose date bounds "since last review". */
  sinceReviewOn: daySchema.nullable(),
  readiness: z.object({ passing: z.number().int(), total: z.number().int(), percent: z.number() }),
  sections: z.array(agendaSectionSchema),
  overdueTasks: z.object({
    count: z.number().int(),
    items: z.array(
      z.object({
        title: z.string(),
        controlRef: z.string(),
        dueOn: daySchema,
        owner: z.string().nullable(),
      }),
    ),
  }),
  slaBreaches: z.object({
    count: z.number().int(),
    bySeverity: z.record(z.string(), z.number().int()),
  }),
  /** Open risks rated high; null when the risk register is not available. */
  openHighRisks: z.object({ count: z.number().int().nullable(), note: z.string() }),
  /** Incidents since the last review; null while Steward has no incident register. */
  incidents: z.object({ count: z.number().int().nullable(), note: z.string() }),
  /** Action items of earlier reviews still open, the overdue ones first. */
  openActions: z.object({
    count: z.number().int(),
    overdue: z.number().int(),
    items: z.array(
      z.object({
        title: z.string(),
        owner: z.string().nullable(),
        dueOn: daySchema,
        isOverdue: z.boolean(),
      }),
    ),
  }),
});

/** Someone at the meeting: a Steward user, a person of the directory, or a named guest. */
export const attendeeSchema = z.object({
  userId: z.uuid().nullable(),
  personId: z.uuid().nullable(),
  name: z.string(),
  role: z.string(),
});

/** An attendee as submitted: a user id, a person id, or a name for someone in neither. */
export const attendeeInputSchema = z
  .strictObject({
    userId: z.uuid().optional(),
    personId: z.uuid().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    /** Their role at the meeting, e.g. "CTO, chair". */
    role: z.string().trim().max(200).default(''),
  })
  .superRefine((v, ctx) => {
    const given = [v.userId, v.personId, v.name].filter((x) => x !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'Give exactly one of userId, personId or name',
      });
    }
  });

/** An action item decided at a review. */
export const reviewActionSchema = z.object({
  id: z.uuid(),
  reviewId: z.uuid(),
  title: z.string(),
  owner: personRefSchema.nullable(),
  dueOn: daySchema,
  status: z.enum(reviewActionStatuses),
  isOverdue: z.boolean(),
  completedAt: z.iso.datetime().nullable(),
});

/** A note added to a held review (its correction record). */
export const reviewNoteSchema = z.object({
  id: z.uuid(),
  body: z.string(),
  author: personRefSchema.nullable(),
  createdAt: z.iso.datetime(),
});

/** A management review as listed. */
export const managementReviewSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  meetingOn: daySchema,
  status: z.enum(managementReviewStatuses),
  attendees: z.array(attendeeSchema),
  openActions: z.number().int(),
  overdueActions: z.number().int(),
  heldAt: z.iso.datetime().nullable(),
  heldBy: personRefSchema.nullable(),
  evidenceId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});

/** A management review with its agenda, minutes, decisions, actions and notes. */
export const managementReviewDetailSchema = managementReviewSchema.extend({
  agenda: reviewAgendaSchema,
  minutes: z.string(),
  decisions: z.array(z.string()),
  actions: z.array(reviewActionSchema),
  notes: z.array(reviewNoteSchema),
});

/** An open action item of a held review, assigned to the signed-in user. */
export const myReviewActionSchema = reviewActionSchema.extend({
  reviewTitle: z.string(),
  reviewMeetingOn: daySchema,
});

/** The signed-in user's open action items, by due date. */
export const myReviewActionListSchema = z.object({ items: z.array(myReviewActionSchema) });

/** Where the org stands on management reviews. */
export const managementReviewOverviewSchema = z.object({
  cadenceMonths: z.number().int(),
  lastHeldOn: daySchema.nullable(),
  nextDueOn: daySchema.nullable(),
  isOverdue: z.boolean(),
  openActions: z.number().int(),
  overdueActions: z.number().int(),
});

/** Filter of the review list. */
export const managementReviewQuerySchema = z.strictObject({
  status: z.enum(managementReviewStatuses).optional(),
});

/** A page of reviews with the overview. */
export const managementReviewListSchema = z.object({
  overview: managementReviewOverviewSchema,
  items: z.array(managementReviewSchema),
});

const decisionsSchema = z.array(z.string().trim().min(1).max(2000)).max(100);

/** Create a review: its agenda is built from live figures now and frozen. */
export const createManagementReviewSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  meetingOn: daySchema,
  attendees: z.array(attendeeInputSchema).max(50).default([]),
});

/** Edit a draft review. */
export const updateManagementReviewSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  meetingOn: daySchema.optional(),
  attendees: z.array(attendeeInputSchema).max(50).optional(),
  minutes: z.string().max(200_000).optional(),
  decisions: decisionsSchema.optional(),
});

/** Add an action item to a draft review. */
export const createReviewActionSchema = z.strictObject({
  title: z.string().trim().min(1).max(500),
  ownerId: z.uuid().nullable().default(null),
  dueOn: daySchema,
});

/** Change an action item: everything on a draft, only the status once the review is held. */
export const updateReviewActionSchema = z.strictObject({
  title: z.string().trim().min(1).max(500).optional(),
  ownerId: z.uuid().nullable().optional(),
  dueOn: daySchema.optional(),
  status: z.enum(reviewActionStatuses).optional(),
});

/** A note on a held review: the way to correct or add to the record. */
export const createReviewNoteSchema = z.strictObject({
  body: z.string().trim().min(1).max(20_000),
});

/** How often leadership must hold a management review. */
export const managementReviewSettingsSchema = z.object({
  cadenceMonths: z.number().int(),
});

/** Change the cadence (default quarterly). */
export const updateManagementReviewSettingsSchema = z.strictObject({
  cadenceMonths: z.number().int().min(1).max(12),
});

/** Export format of a review record. */
export const reviewExportQuerySchema = z.strictObject({
  format: z.enum(['markdown', 'json']).default('markdown'),
});
