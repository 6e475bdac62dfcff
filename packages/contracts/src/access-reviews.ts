import { z } from 'zod';
import { idParamsSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import { booleanTextSchema } from './schema-helpers.ts';

/** Who reviews an account: the system's owner, or the manager of the person holding it. */
export const reviewerRules = ['system_owner', 'manager'] as const;

/** A reviewer decision on one account. */
export const reviewDecisions = ['keep', 'revoke', 'change'] as const;

/** Whether a revocation or change has been seen carried out. */
export const reviewVerifications = ['not_needed', 'pending', 'verified'] as const;

const dayString = z.iso.date();

/** Launching a campaign. */
export const launchCampaignSchema = z.strictObject({
  name: z.string().trim().min(1, 'Name the campaign').max(200),
  systemIds: z
    .array(z.uuid())
    .min(1, 'Choose at least one system')
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, 'A system is listed twice'),
  reviewerRule: z.enum(reviewerRules).default('system_owner'),
  dueOn: dayString,
});

const userRefSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

/** Progress of a campaign (or of one reviewer's share of it). */
export const reviewProgressSchema = z.object({
  items: z.number().int(),
  decided: z.number().int(),
  kept: z.number().int(),
  revoked: z.number().int(),
  changed: z.number().int(),
  pendingVerification: z.number().int(),
  verified: z.number().int(),
});

/** A campaign as lists show it. */
export const campaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  owner: userRefSchema,
  reviewerRule: z.enum(reviewerRules),
  dueOn: z.string(),
  status: z.enum(['open', 'closed']),
  isOverdue: z.boolean(),
  launchedAt: z.string(),
  launchedBy: z.string(),
  closedAt: z.string().nullable(),
  reportEvidenceId: z.uuid().nullable(),
  /** The PDF report stored as evidence at closing (next to the CSV one). */
  reportPdfEvidenceId: z.uuid().nullable(),
  systems: z.array(z.object({ id: z.uuid(), name: z.string() })),
  progress: reviewProgressSchema,
});

/** A campaign with its progress per reviewer. */
export const campaignDetailSchema = campaignSchema.extend({
  reviewers: z.array(userRefSchema.extend({ progress: reviewProgressSchema })),
});

/** The campaigns, newest first. */
export const campaignListSchema = z.object({ items: z.array(campaignSchema) });

const entitlementSnapshotSchema = z.object({
  kind: z.enum(['role', 'group', 'privilege']),
  name: z.string(),
  isPrivileged: z.boolean(),
});

/** One account under review, as it was at launch, with its decision. */
export const reviewItemSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  system: z.object({ id: z.uuid(), name: z.string() }),
  accountId: z.uuid(),
  externalId: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  person: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  accountStatus: z.string(),
  isPrivileged: z.boolean(),
  mfaEnabled: z.boolean().nullable(),
  lastSignInAt: z.string().nullable(),
  entitlements: z.array(entitlementSnapshotSchema),
  reviewer: userRefSchema,
  reviewerSource: z.enum(['system_owner', 'manager', 'campaign_owner']),
  decision: z.enum(reviewDecisions).nullable(),
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  verification: z.enum(reviewVerifications),
  verifiedAt: z.string().nullable(),
  verifiedBy: z.enum(['sync', 'evidence']).nullable(),
});

/** Filters of a campaign's items; also the filter of a bulk decision. */
export const reviewItemFilterSchema = z.strictObject({
  systemId: z.uuid().optional(),
  /** A user id, or `me` for the caller. */
  reviewer: z.union([z.uuid(), z.literal('me')]).optional(),
  decision: z.enum([...reviewDecisions, 'undecided']).optional(),
  verification: z.enum(reviewVerifications).optional(),
  privileged: booleanTextSchema.optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

/** Filters and offset paging of a campaign's items. */
export const reviewItemQuerySchema = reviewItemFilterSchema.extend({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A page of items in system, then account order. */
export const reviewItemPageSchema = z.object({
  items: z.array(reviewItemSchema),
  total: z.number().int(),
});

/** A decision on chosen items, or on every undecided item matching a filter. */
export const decideItemsSchema = z
  .strictObject({
    itemIds: z.array(z.uuid()).min(1).max(10_000).optional(),
    filter: reviewItemFilterSchema
      .extend({ privileged: z.boolean().optional() })
      .strict()
      .optional(),
    decision: z.enum(reviewDecisions),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.itemIds === undefined) === (v.filter === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['itemIds'], message: 'Give itemIds or a filter' });
    }
    if (v.decision !== 'keep' && (v.reason === undefined || v.reason === '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `Say why the access is to ${v.decision === 'revoke' ? 'be revoked' : 'change'}`,
      });
    }
  });

/** What a bulk decision did. */
export const decideResultSchema = z.object({ decided: z.number().int() });

/** Evidence that a revocation or change was carried out. */
export const verifyItemSchema = z.strictObject({ evidenceId: z.uuid() });

/** Path parameters of a campaign's item. */
export const reviewItemParamsSchema = z.strictObject({ id: z.uuid(), itemId: z.uuid() });

/** A campaign being launched. */
export type LaunchCampaign = z.infer<typeof launchCampaignSchema>;
/** A campaign. */
export type Campaign = z.infer<typeof campaignSchema>;
/** A campaign with its reviewers. */
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;
/** An item under review. */
export type ReviewItem = z.infer<typeof reviewItemSchema>;
/** Campaign progress. */
export type ReviewProgress = z.infer<typeof reviewProgressSchema>;

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/** Endpoints of access review campaigns. */
export const accessReviewEndpoints = {
  listAccessReviews: endpoint({
    method: 'GET',
    path: '/api/v1/access-reviews',
    summary: 'Access review campaigns, newest first, with their progress',
    tag: 'access-reviews',
    access: 'authenticated',
    response: campaignListSchema,
  }),
  launchAccessReview: endpoint({
    method: 'POST',
    path: '/api/v1/access-reviews',
    summary: 'Launch a campaign: snapshot every account of the systems and assign reviewers',
    tag: 'access-reviews',
    access: 'systems.manage',
    audit: 'access_review.launched',
    body: launchCampaignSchema,
    response: campaignDetailSchema,
    successStatus: 201,
  }),
  getAccessReview: endpoint({
    method: 'GET',
    path: '/api/v1/access-reviews/:id',
    summary: 'One campaign with its progress per reviewer',
    tag: 'access-reviews',
    access: 'authenticated',
    params: idParamsSchema,
    response: campaignDetailSchema,
  }),
  listAccessReviewItems: endpoint({
    method: 'GET',
    path: '/api/v1/access-reviews/:id/items',
    summary: "A campaign's accounts under review, filtered",
    tag: 'access-reviews',
    access: 'authenticated',
    params: idParamsSchema,
    query: reviewItemQuerySchema,
    response: reviewItemPageSchema,
  }),
  decideAccessReviewItems: endpoint({
    method: 'POST',
    path: '/api/v1/access-reviews/:id/decisions',
    summary: 'Keep, revoke or change chosen accounts, or every undecided one matching a filter',
    tag: 'access-reviews',
    access: 'authenticated',
    audit: 'access_review.decided',
    params: idParamsSchema,
    body: decideItemsSchema,
    response: decideResultSchema,
  }),
  verifyAccessReviewItem: endpoint({
    method: 'POST',
    path: '/api/v1/access-reviews/:id/items/:itemId/verification',
    summary: 'Attach evidence that a revocation or change was carried out',
    tag: 'access-reviews',
    access: 'authenticated',
    audit: 'access_review.verified',
    params: reviewItemParamsSchema,
    body: verifyItemSchema,
    response: reviewItemSchema,
  }),
  closeAccessReview: endpoint({
    method: 'POST',
    path: '/api/v1/access-reviews/:id/close',
    summary: 'Close a campaign whose decisions are all made and revocations verified',
    tag: 'access-reviews',
    access: 'systems.manage',
    audit: 'access_review.closed',
    params: idParamsSchema,
    response: campaignDetailSchema,
  }),
  exportAccessReview: endpoint({
    method: 'GET',
    path: '/api/v1/access-reviews/:id/report.csv',
    summary: "The campaign's report: population, reviewer, decision, reason, verification",
    tag: 'access-reviews',
    access: 'systems.read',
    params: idParamsSchema,
    response: z.string(),
    produces: 'text/csv',
  }),
  exportAccessReviewPdf: endpoint({
    method: 'GET',
    path: '/api/v1/access-reviews/:id/report.pdf',
    summary:
      "The campaign's report as PDF: scope, owner, dates, totals, completion per reviewer and every decision with its verification",
    tag: 'access-reviews',
    access: 'systems.read',
    params: idParamsSchema,
    response: z.unknown(),
    produces: 'application/pdf',
  }),
};
