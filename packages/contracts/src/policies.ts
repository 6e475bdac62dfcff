import { z } from 'zod';
import { idParamsSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import { daySchema, personRefSchema } from './program.ts';
import { refineAudience, refineBlankNeedsKeyAndTitle } from './schema-helpers.ts';

/** The life of a policy version. */
export const policyVersionStatuses = [
  'draft',
  'in_review',
  'approved',
  'published',
  'superseded',
  'retired',
] as const;

/** A policy version's status. */
export type PolicyVersionStatus = (typeof policyVersionStatuses)[number];

/** Who a policy applies to. */
export const policyAudiences = ['everyone', 'departments', 'roles'] as const;

/** Key of a policy: lowercase letters, digits, `_` and `-`. */
export const policyKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'Use lowercase letters, digits, "_" or "-" (at most 80)');

/** A starter policy Steward offers. */
export const policyTemplateSchema = z.object({
  key: z.string(),
  title: z.string(),
  summary: z.string(),
  annexSections: z.array(z.number().int()),
  controlRefs: z.array(z.string()),
  reviewCadenceMonths: z.number().int(),
});

/** Acknowledgement coverage of a policy's published version. */
export const policyCoverageSchema = z.object({
  /** People asked to acknowledge the published version. */
  requested: z.number().int(),
  acknowledged: z.number().int(),
  /** Not acknowledged and past their deadline. */
  overdue: z.number().int(),
  /** Percent acknowledged, 0–100, one decimal; 100 when nobody was asked. */
  percent: z.number(),
});

/** One approver's approval of a version. */
export const policyApprovalSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  approvedAt: z.iso.datetime(),
});

/** Formats a policy document may be uploaded in. */
export const policyFileFormats = ['pdf', 'docx'] as const;

/** The uploaded document that is a version's body, kept as evidence. */
export const policyFileSchema = z.object({
  evidenceId: z.uuid(),
  format: z.enum(policyFileFormats),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
});

/** A policy version without its body. */
export const policyVersionSchema = z.object({
  id: z.uuid(),
  policyId: z.uuid(),
  number: z.number().int(),
  status: z.enum(policyVersionStatuses),
  changeSummary: z.string(),
  isMaterial: z.boolean().nullable(),
  evidenceId: z.uuid().nullable(),
  /** The uploaded document (PDF/DOCX) when the version is a file rather than Markdown. */
  file: policyFileSchema.nullable(),
  approvals: z.array(policyApprovalSchema),
  createdAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  publishedBy: personRefSchema.nullable(),
});

/** A policy version with its Markdown body. */
export const policyVersionDetailSchema = policyVersionSchema.extend({
  policyTitle: z.string(),
  body: z.string(),
});

/** A policy as listed in the library. */
export const policySchema = z.object({
  id: z.uuid(),
  key: z.string(),
  title: z.string(),
  owner: personRefSchema.nullable(),
  approvers: z.array(personRefSchema),
  audience: z.enum(policyAudiences),
  audienceValues: z.array(z.string()),
  reviewCadenceMonths: z.number().int(),
  nextReviewOn: daySchema.nullable(),
  isReviewOverdue: z.boolean(),
  templateKey: z.string().nullable(),
  retiredAt: z.iso.datetime().nullable(),
  controls: z.array(z.object({ id: z.uuid(), ref: z.string(), title: z.string() })),
  /** The version in force, if any. */
  published: policyVersionSchema.nullable(),
  /** The version being written or reviewed, if any. */
  pending: policyVersionSchema.nullable(),
  coverage: policyCoverageSchema,
});

/** A "reviewed" record. */
export const policyReviewSchema = z.object({
  id: z.uuid(),
  reviewedOn: daySchema,
  reviewer: personRefSchema.nullable(),
  outcome: z.enum(['no_change', 'new_version']),
  note: z.string(),
});

/** A policy with its versions and reviews. */
export const policyDetailSchema = z.object({
  policy: policySchema,
  versions: z.array(policyVersionSchema),
  reviews: z.array(policyReviewSchema),
});

const audienceFields = {
  audience: z.enum(policyAudiences).default('everyone'),
  /** Departments (people directory) or roles, depending on the audience. */
  audienceValues: z.array(z.string().min(1).max(200)).max(100).default([]),
};

/** Create a policy, from a template or blank. */
export const createPolicySchema = z
  .strictObject({
    templateKey: z.string().max(100).optional(),
    key: policyKeySchema.optional(),
    title: z.string().trim().min(1).max(300).optional(),
    body: z.string().max(500_000).optional(),
    ownerId: z.uuid().nullable().optional(),
    approverIds: z.array(z.uuid()).max(10).default([]),
    reviewCadenceMonths: z.number().int().min(1).max(36).optional(),
    controlIds: z.array(z.uuid()).max(200).optional(),
    ...audienceFields,
  })
  .superRefine((v, ctx) => {
    refineBlankNeedsKeyAndTitle(v, ctx, 'A blank policy needs a key and a title');
    refineAudience(v, ctx);
  });

/** Change a policy's settings. */
export const updatePolicySchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  ownerId: z.uuid().nullable().optional(),
  approverIds: z.array(z.uuid()).max(10).optional(),
  reviewCadenceMonths: z.number().int().min(1).max(36).optional(),
  controlIds: z.array(z.uuid()).max(200).optional(),
  audience: z.enum(policyAudiences).optional(),
  audienceValues: z.array(z.string().min(1).max(200)).max(100).optional(),
});

/** Start a new draft version (copied from the latest version when no body is given). */
export const createPolicyVersionSchema = z.strictObject({
  body: z.string().max(500_000).optional(),
  changeSummary: z.string().max(2000).default(''),
});

/** Edit a draft. */
export const updatePolicyVersionSchema = z.strictObject({
  body: z.string().max(500_000).optional(),
  changeSummary: z.string().max(2000).optional(),
});

/** An approver's decision. */
export const approvePolicyVersionSchema = z.strictObject({
  /** Whether people must acknowledge the version again (the approver decides). */
  isMaterial: z.boolean(),
});

/** What publishing did. */
export const publishResultSchema = z.object({
  version: policyVersionSchema,
  /** Acknowledgement requests created (material change or first publication). */
  requested: z.number().int(),
  /** Acknowledgements carried forward from the previous version (minor change). */
  carriedForward: z.number().int(),
});

/** Record an annual review that changed nothing. */
export const reviewPolicySchema = z.strictObject({
  note: z.string().max(2000).default(''),
});

/** Query of a diff: the older version to compare with (default: the previous number). */
export const policyDiffQuerySchema = z.strictObject({ against: z.uuid().optional() });

/** One line of a diff. */
export const diffLineSchema = z.object({
  kind: z.enum(['same', 'added', 'removed']),
  text: z.string(),
  oldLine: z.number().int().nullable(),
  newLine: z.number().int().nullable(),
});

/** A diff between two versions, as hunks of changed lines with context. */
export const policyDiffSchema = z.object({
  from: policyVersionSchema.nullable(),
  to: policyVersionSchema,
  added: z.number().int(),
  removed: z.number().int(),
  hunks: z.array(
    z.object({
      oldStart: z.number().int(),
      newStart: z.number().int(),
      lines: z.array(diffLineSchema),
    }),
  ),
});

/** A version awaiting the current user's approval. */
export const policyApprovalItemSchema = policyVersionSchema.extend({
  policyTitle: z.string(),
  policyKey: z.string(),
});

/** A policy the signed-in person must (or did) acknowledge. */
export const myPolicySchema = z.object({
  acknowledgementId: z.uuid(),
  policyId: z.uuid(),
  versionId: z.uuid(),
  title: z.string(),
  number: z.number().int(),
  publishedAt: z.iso.datetime().nullable(),
  dueOn: daySchema,
  isOverdue: z.boolean(),
  acknowledgedAt: z.iso.datetime().nullable(),
  body: z.string(),
  /** The uploaded document to read, when the version is a file. */
  file: policyFileSchema.nullable(),
});

/** Text fields of a policy document upload (multipart `file`). */
export const attachPolicyFileFieldsSchema = z.strictObject({
  changeSummary: z.string().max(2000).optional(),
});

/** How a policy document is sent: shown in the browser (PDF only) or downloaded. */
export const policyFileQuerySchema = z.strictObject({
  disposition: z.enum(['inline', 'attachment']).default('attachment'),
});

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

const versionParams = z.strictObject({ versionId: z.uuid() });

/** Endpoints of policies: library, versions, approval, publication, acknowledgement, review. */
export const policiesEndpoints = {
  listPolicyTemplates: endpoint({
    method: 'GET',
    path: '/api/v1/policy-templates',
    summary: 'Starter policies Steward offers',
    tag: 'policies',
    access: 'policies.read',
    response: z.object({ items: z.array(policyTemplateSchema) }),
  }),
  listPolicies: endpoint({
    method: 'GET',
    path: '/api/v1/policies',
    summary: 'The policy library: status, owner, next review, acknowledgement coverage',
    tag: 'policies',
    access: 'policies.read',
    response: z.object({ items: z.array(policySchema) }),
  }),
  createPolicy: endpoint({
    method: 'POST',
    path: '/api/v1/policies',
    summary: 'Create a policy from a starter template or blank, with a first draft',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.created',
    body: createPolicySchema,
    response: policyDetailSchema,
    successStatus: 201,
  }),
  getPolicy: endpoint({
    method: 'GET',
    path: '/api/v1/policies/:id',
    summary: 'A policy with its versions and review records',
    tag: 'policies',
    access: 'policies.read',
    params: idParamsSchema,
    response: policyDetailSchema,
  }),
  updatePolicy: endpoint({
    method: 'PATCH',
    path: '/api/v1/policies/:id',
    summary: 'Change owner, approvers, audience, review cadence or linked controls',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.updated',
    params: idParamsSchema,
    body: updatePolicySchema,
    response: policyDetailSchema,
  }),
  retirePolicy: endpoint({
    method: 'POST',
    path: '/api/v1/policies/:id/retire',
    summary: 'Retire a policy: its published version ends and nobody must acknowledge it',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.retired',
    params: idParamsSchema,
    response: policyDetailSchema,
  }),
  reviewPolicy: endpoint({
    method: 'POST',
    path: '/api/v1/policies/:id/reviews',
    summary: 'Record a review that changed nothing; the next review date moves on',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.reviewed',
    params: idParamsSchema,
    body: reviewPolicySchema,
    response: policyDetailSchema,
    successStatus: 201,
  }),
  createPolicyVersion: endpoint({
    method: 'POST',
    path: '/api/v1/policies/:id/versions',
    summary: 'Start a new draft version',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.version_created',
    params: idParamsSchema,
    body: createPolicyVersionSchema,
    response: policyVersionDetailSchema,
    successStatus: 201,
  }),
  getPolicyVersion: endpoint({
    method: 'GET',
    path: '/api/v1/policy-versions/:versionId',
    summary: 'A policy version with its Markdown body',
    tag: 'policies',
    access: 'policies.read',
    params: versionParams,
    response: policyVersionDetailSchema,
  }),
  updatePolicyVersion: endpoint({
    method: 'PATCH',
    path: '/api/v1/policy-versions/:versionId',
    summary: 'Edit a draft',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.version_updated',
    params: versionParams,
    body: updatePolicyVersionSchema,
    response: policyVersionDetailSchema,
  }),
  submitPolicyVersion: endpoint({
    method: 'POST',
    path: '/api/v1/policy-versions/:versionId/submit',
    summary: 'Submit a draft for review by the approvers',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.submitted',
    params: versionParams,
    response: policyVersionDetailSchema,
  }),
  approvePolicyVersion: endpoint({
    method: 'POST',
    path: '/api/v1/policy-versions/:versionId/approve',
    summary: 'Approve a version in review (approvers in order; never one’s own draft)',
    tag: 'policies',
    access: 'policies.approve',
    audit: 'policy.approved',
    params: versionParams,
    body: approvePolicyVersionSchema,
    response: policyVersionDetailSchema,
  }),
  publishPolicyVersion: endpoint({
    method: 'POST',
    path: '/api/v1/policy-versions/:versionId/publish',
    summary: 'Publish an approved version; a material change asks the audience to acknowledge',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.published',
    params: versionParams,
    response: publishResultSchema,
  }),
  diffPolicyVersion: endpoint({
    method: 'GET',
    path: '/api/v1/policy-versions/:versionId/diff',
    summary: 'Line diff of a version against an older one',
    tag: 'policies',
    access: 'policies.read',
    params: versionParams,
    query: policyDiffQuerySchema,
    response: policyDiffSchema,
  }),
  listPolicyApprovals: endpoint({
    method: 'GET',
    path: '/api/v1/policy-approvals',
    summary: 'Versions waiting for the signed-in approver',
    tag: 'policies',
    access: 'policies.approve',
    response: z.object({ items: z.array(policyApprovalItemSchema) }),
  }),
  listMyPolicies: endpoint({
    method: 'GET',
    path: '/api/v1/me/policies',
    summary: 'Policies the signed-in person must acknowledge, and those acknowledged',
    tag: 'policies',
    access: 'authenticated',
    response: z.object({ items: z.array(myPolicySchema) }),
  }),
  attachPolicyVersionFile: endpoint({
    method: 'POST',
    path: '/api/v1/policy-versions/:versionId/file',
    summary: 'Make an uploaded PDF or DOCX (no macros) the body of a draft, kept as evidence',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.file_attached',
    params: versionParams,
    multipart: { files: ['file'] },
    body: attachPolicyFileFieldsSchema,
    response: policyVersionDetailSchema,
  }),
  removePolicyVersionFile: endpoint({
    method: 'DELETE',
    path: '/api/v1/policy-versions/:versionId/file',
    summary: 'Go back to a Markdown body for a draft (the evidence file itself is kept)',
    tag: 'policies',
    access: 'policies.manage',
    audit: 'policy.file_removed',
    params: versionParams,
    response: policyVersionDetailSchema,
  }),
  downloadPolicyVersionFile: endpoint({
    method: 'GET',
    path: '/api/v1/policy-versions/:versionId/file',
    summary: 'The uploaded document of a version (a PDF may be shown inline)',
    tag: 'policies',
    access: 'policies.read',
    params: versionParams,
    query: policyFileQuerySchema,
    produces: 'application/octet-stream',
    response: z.unknown(),
  }),
  downloadMyPolicyFile: endpoint({
    method: 'GET',
    path: '/api/v1/me/policies/:versionId/file',
    summary: 'The document of a policy version the signed-in person was asked to acknowledge',
    tag: 'policies',
    access: 'authenticated',
    params: versionParams,
    query: policyFileQuerySchema,
    produces: 'application/octet-stream',
    response: z.unknown(),
  }),
  acknowledgePolicy: endpoint({
    method: 'POST',
    path: '/api/v1/me/policies/:versionId/acknowledge',
    summary: 'I have read this policy version and will follow it',
    tag: 'policies',
    access: 'authenticated',
    audit: 'policy.acknowledged',
    params: versionParams,
    response: myPolicySchema,
  }),
} as const;
