import { addEvidenceFieldsSchema } from '@steward/contracts';
import type {
  createPolicySchema,
  myPolicySchema,
  policyApprovalItemSchema,
  policyDetailSchema,
  policyDiffSchema,
  policySchema,
  policyTemplateSchema,
  policyVersionDetailSchema,
  policyVersionSchema,
  publishResultSchema,
  updatePolicySchema,
  updatePolicyVersionSchema,
  PolicyVersionStatus,
} from '@steward/contracts';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  scopedUnitOfWork,
  type UnitOfWork,
  type WriteScope,
} from '../../platform/audit/unit-of-work.ts';
import type { MemoisedRead, OrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import type { Tx } from '../../platform/db/pools.ts';
import type { PolicyApprovalRecord } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { ReceivedFile } from '../../platform/http/multipart.ts';
import type { BlobStore } from '../../platform/storage/index.ts';
import { addDays, addMonths, recordCheckResultIn, todayUtc } from '../controls/index.ts';
import { addEvidence, sanitizeFileName } from '../evidence/index.ts';
import type { Supplier } from '../tasks/index.ts';
import { diffLines } from './policy-diff.ts';
import {
  inspectPolicyFile,
  PolicyFileError,
  policyFileMediaTypes,
  type PolicyFileFormat,
} from './policy-file.ts';
import { companyPlaceholder, policyTemplates } from './policy-templates.ts';
import * as repo from './policies.repo.ts';

type Policy = z.infer<typeof policySchema>;
/** A policy with its versions and reviews, as the API answers it. */
export type PolicyDetail = z.infer<typeof policyDetailSchema>;
type PolicyVersion = z.infer<typeof policyVersionSchema>;
type PolicyVersionDetail = z.infer<typeof policyVersionDetailSchema>;
type MyPolicy = z.infer<typeof myPolicySchema>;

/** Days a person has to acknowledge a newly published version. */
export const acknowledgementDays = 30;

/** Days a person who joins the audience later has to acknowledge the version in force. */
export const newJoinerAcknowledgementDays = 7;

/** Share of the audience that must acknowledge within the deadline for the check to pass. */
export const coverageTarget = 0.95;

/** Check keys the policies module reports (declared by the default controls). */
export const checkKeys = {
  reviewsCurrent: 'policies.reviews_current',
  acknowledgementsComplete: 'policies.acknowledgements_complete',
} as const;

function notFound(): AppError {
  return new AppError('policy.not_found', 'No such policy');
}

function versionNotFound(): AppError {
  return new AppError('policy_version.not_found', 'No such policy version');
}

function invalid(path: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ path, message }]);
}

function wrongState(version: repo.VersionRow, action: string): AppError {
  return new AppError(
    'policy.version_state',
    `Version ${String(version.number)} is ${version.status.replace('_', ' ')}; it cannot be ${action}`,
  );
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

type Files = Map<string, repo.VersionFileRow>;

function toFile(
  evidenceId: string | null,
  format: string | null,
  files: Files,
): PolicyVersion['file'] {
  const file = evidenceId === null ? undefined : files.get(evidenceId);
  if (!file || format === null) return null;
  return {
    evidenceId: file.id,
    format: format as PolicyFileFormat,
    fileName: file.file_name ?? `policy.${format}`,
    mediaType: file.media_type ?? 'application/octet-stream',
    sizeBytes: Number(file.size_bytes ?? 0),
    sha256: file.file_sha256 ?? '',
  };
}

async function filesOf(tx: Tx, rows: readonly { evidence_id: string | null }[]): Promise<Files> {
  return repo.findEvidenceFiles(
    tx,
    rows.flatMap((r) => (r.evidence_id === null ? [] : [r.evidence_id])),
  );
}

function toVersion(
  row: repo.VersionRow,
  users: Map<string, repo.UserRef>,
  files: Files,
): PolicyVersion {
  return {
    id: row.id,
    policyId: row.policy_id,
    number: row.number,
    status: row.status as PolicyVersionStatus,
    changeSummary: row.change_summary,
    isMaterial: row.is_material,
    evidenceId: row.evidence_id,
    file: toFile(row.evidence_id, row.file_format, files),
    approvals: row.approvals,
    createdAt: row.created_at.toISOString(),
    submittedAt: iso(row.submitted_at),
    publishedAt: iso(row.published_at),
    publishedBy:
      row.published_by_user_id === null ? null : (users.get(row.published_by_user_id) ?? null),
  };
}

function toVersionDetail(
  row: repo.VersionRow,
  policy: repo.PolicyRow,
  users: Map<string, repo.UserRef>,
  files: Files,
): PolicyVersionDetail {
  return { ...toVersion(row, users, files), policyTitle: policy.title, body: row.body };
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

async function loadPolicies(tx: Tx, id?: string): Promise<Policy[]> {
  const today = todayUtc();
  const rows = await repo.findPolicies(tx, id);
  const ids = rows.map((r) => r.id);
  const [versions, controls] = await Promise.all([
    repo.findVersions(tx, ids),
    repo.findPolicyControls(tx, ids),
  ]);
  const published = new Map<string, repo.VersionRow>();
  const pending = new Map<string, repo.VersionRow>();
  for (const v of versions) {
    if (v.status === 'published') published.set(v.policy_id, v);
    if (['draft', 'in_review', 'approved'].includes(v.status)) pending.set(v.policy_id, v);
  }
  const coverage = await repo.findCoverage(
    tx,
    [...published.values()].map((v) => v.id),
    today,
  );
  const userIds = rows.flatMap((r) => [...(r.owner_id ? [r.owner_id] : []), ...r.approver_ids]);
  for (const v of versions) if (v.published_by_user_id) userIds.push(v.published_by_user_id);
  const [users, files] = await Promise.all([
    repo.findUsers(tx, userIds),
    filesOf(tx, [...published.values(), ...pending.values()]),
  ]);
  return rows.map((r) => {
    const live = published.get(r.id);
    const next = pending.get(r.id);
    const c = live ? coverage.get(live.id) : undefined;
    return {
      id: r.id,
      key: r.key,
      title: r.title,
      owner: r.owner_id === null ? null : (users.get(r.owner_id) ?? null),
      approvers: r.approver_ids.flatMap((a) => {
        const u = users.get(a);
        return u ? [u] : [];
      }),
      audience: r.audience as Policy['audience'],
      audienceValues: r.audience_values,
      reviewCadenceMonths: r.review_cadence_months,
      nextReviewOn: r.next_review_on,
      isReviewOverdue:
        r.retired_at === null && r.next_review_on !== null && r.next_review_on < today,
      templateKey: r.template_key,
      retiredAt: iso(r.retired_at),
      controls: controls.get(r.id) ?? [],
      published: live ? toVersion(live, users, files) : null,
      pending: next ? toVersion(next, users, files) : null,
      coverage: {
        requested: c?.requested ?? 0,
        acknowledged: c?.acknowledged ?? 0,
        overdue: c?.overdue ?? 0,
        percent: percentOf(c?.acknowledged ?? 0, c?.requested ?? 0),
      },
    };
  });
}

async function loadDetail(tx: Tx, id: string): Promise<PolicyDetail> {
  const [policy] = await loadPolicies(tx, id);
  if (!policy) throw notFound();
  const [versions, reviews] = await Promise.all([
    repo.findVersions(tx, [id]),
    repo.findReviews(tx, id),
  ]);
  const [users, files] = await Promise.all([
    repo.findUsers(tx, [
      ...versions.flatMap((v) => (v.published_by_user_id ? [v.published_by_user_id] : [])),
      ...reviews.flatMap((r) => (r.reviewer_id ? [r.reviewer_id] : [])),
    ]),
    filesOf(tx, versions),
  ]);
  return {
    policy,
    versions: versions.map((v) => toVersion(v, users, files)),
    reviews: reviews.map((r) => ({
      id: r.id,
      reviewedOn: r.reviewed_on,
      reviewer: r.reviewer_id === null ? null : (users.get(r.reviewer_id) ?? null),
      outcome: r.outcome as 'no_change' | 'new_version',
      note: r.note,
    })),
  };
}

/** The starter templates. */
export function listTemplates(): z.infer<typeof policyTemplateSchema>[] {
  return policyTemplates.map((t) => ({
    key: t.key,
    title: t.title,
    summary: t.summary,
    annexSections: t.annexSections,
    controlRefs: t.controlRefs,
    reviewCadenceMonths: t.reviewCadenceMonths,
  }));
}

/** The policy library as the API answers it. */
export interface PolicyList {
  items: Policy[];
}

/**
 * The policy library with each policy's coverage, reused from `memo` until the org next changes
 * or the day turns (what is overdue depends on the day); no value when `ifNoneMatch` names it.
 */
export async function listPoliciesMemoised(
  uow: UnitOfWork,
  memo: OrgReadMemo<PolicyList>,
  ifNoneMatch?: string,
): Promise<MemoisedRead<PolicyList>> {
  return memo.read(uow, `policies ${todayUtc()}`, ifNoneMatch, async (tx) => ({
    items: await loadPolicies(tx),
  }));
}

/** A policy with its versions and reviews, reused from `memo` as the library is. */
export async function getPolicyMemoised(
  uow: UnitOfWork,
  memo: OrgReadMemo<PolicyDetail>,
  id: string,
  ifNoneMatch?: string,
): Promise<MemoisedRead<PolicyDetail>> {
  return memo.read(uow, `policy ${id} ${todayUtc()}`, ifNoneMatch, (tx) => loadDetail(tx, id));
}

async function checkPeople(
  tx: Tx,
  ownerId: string | null | undefined,
  approverIds: readonly string[] | undefined,
): Promise<void> {
  const ids = [...(ownerId ? [ownerId] : []), ...(approverIds ?? [])];
  const active = await repo.findActiveUserIds(tx, ids);
  if (ownerId && !active.has(ownerId)) throw invalid('ownerId', 'No such active user');
  for (const [i, id] of (approverIds ?? []).entries()) {
    if (!active.has(id)) throw invalid(`approverIds.${String(i)}`, 'No such active user');
  }
  if (approverIds && new Set(approverIds).size !== approverIds.length) {
    throw invalid('approverIds', 'An approver is listed twice');
  }
}

async function checkControls(tx: Tx, controlIds: readonly string[]): Promise<void> {
  const found = await repo.findControlIds(tx, controlIds);
  const missing = controlIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw invalid('controlIds', `No such control: ${missing.join(', ')}`);
}

async function orgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? 'the company';
}

/** Create a policy from a template or blank, with its first draft. */
export async function createPolicy(
  uow: UnitOfWork,
  userId: string,
  input: z.output<typeof createPolicySchema>,
): Promise<PolicyDetail> {
  const template =
    input.templateKey === undefined
      ? undefined
      : policyTemplates.find((t) => t.key === input.templateKey);
  if (input.templateKey !== undefined && !template) {
    throw invalid('templateKey', `No starter policy "${input.templateKey}"`);
  }
  const key = input.key ?? template?.key.replace(/_/g, '-') ?? '';
  const title = input.title ?? template?.title ?? '';
  return uow.write(async ({ tx, audit }) => {
    if (await repo.findPolicyByKey(tx, key)) {
      throw new AppError('policy.key_taken', `Another policy already has the key ${key}`, [
        { path: 'key', message: 'Another policy already has this key' },
      ]);
    }
    await checkPeople(tx, input.ownerId, input.approverIds);
    let controlIds = input.controlIds ?? [];
    if (input.controlIds === undefined && template) {
      controlIds = await repo.findControlIdsByRef(tx, template.controlRefs);
    }
    await checkControls(tx, controlIds);
    const policy = await repo.insertPolicy(tx, {
      orgId: uow.orgId,
      key,
      title,
      ownerId: input.ownerId ?? null,
      approverIds: input.approverIds,
      audience: input.audience,
      audienceValues: input.audienceValues,
      reviewCadenceMonths: input.reviewCadenceMonths ?? template?.reviewCadenceMonths ?? 12,
      templateKey: template?.key ?? null,
    });
    await repo.setPolicyControls(tx, uow.orgId, policy.id, [...new Set(controlIds)]);
    const body =
      input.body ?? template?.body.replaceAll(companyPlaceholder, await orgName(tx)) ?? '';
    const version = await repo.insertVersion(tx, {
      orgId: uow.orgId,
      policyId: policy.id,
      number: 1,
      body,
      changeSummary: 'First version',
      createdByUserId: userId,
    });
    await audit({
      action: 'policy.created',
      targetType: 'policy',
      targetId: policy.id,
      changes: { key, title, templateKey: template?.key ?? null, versionId: version.id },
    });
    return loadDetail(tx, policy.id);
  });
}

/** Change a policy's settings. */
export async function updatePolicy(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updatePolicySchema>,
): Promise<PolicyDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const policy = await repo.lockPolicy(tx, id);
    if (!policy) throw notFound();
    await checkPeople(tx, input.ownerId, input.approverIds);
    if (input.controlIds) await checkControls(tx, input.controlIds);
    const audience = input.audience ?? policy.audience;
    const values = input.audienceValues ?? policy.audience_values;
    if (audience !== 'everyone' && values.length === 0) {
      throw invalid('audienceValues', 'Name at least one');
    }
    let nextReviewOn = policy.next_review_on;
    if (input.reviewCadenceMonths !== undefined && policy.next_review_on !== null) {
      const last = await lastReviewDay(tx, policy);
      if (last) nextReviewOn = addMonths(last, input.reviewCadenceMonths);
    }
    await repo.updatePolicy(tx, id, {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.ownerId === undefined ? {} : { owner_id: input.ownerId }),
      ...(input.approverIds === undefined ? {} : { approver_ids: input.approverIds }),
      ...(input.reviewCadenceMonths === undefined
        ? {}
        : { review_cadence_months: input.reviewCadenceMonths }),
      audience,
      audience_values: audience === 'everyone' ? [] : values,
      next_review_on: nextReviewOn,
    });
    if (input.controlIds) {
      await repo.setPolicyControls(tx, uow.orgId, id, [...new Set(input.controlIds)]);
    }
    await audit({ action: 'policy.updated', targetType: 'policy', targetId: id, changes: input });
    await recordPolicyChecks(scope, uow.orgId);
    return loadDetail(tx, id);
  });
}

async function lastReviewDay(tx: Tx, policy: repo.PolicyRow): Promise<string | null> {
  const [review] = await repo.findReviews(tx, policy.id);
  const versions = await repo.findVersions(tx, [policy.id]);
  const published = versions.find((v) => v.status === 'published');
  const publishedDay = published?.published_at ? todayUtc(published.published_at) : null;
  const reviewDay = review?.reviewed_on ?? null;
  if (publishedDay === null) return reviewDay;
  if (reviewDay === null) return publishedDay;
  return reviewDay > publishedDay ? reviewDay : publishedDay;
}

async function lockVersion(
  tx: Tx,
  versionId: string,
): Promise<{ version: repo.VersionRow; policy: repo.PolicyRow }> {
  const found = await repo.findVersion(tx, versionId);
  if (!found) throw versionNotFound();
  const policy = await repo.lockPolicy(tx, found.policy_id);
  if (!policy) throw versionNotFound();
  // Read again under the policy lock: another request may have moved it on.
  const version = await repo.findVersion(tx, versionId);
  if (!version) throw versionNotFound();
  return { version, policy };
}

/** Start a new draft, copied from the latest version unless a body is given. */
export async function createVersion(
  uow: UnitOfWork,
  userId: string,
  policyId: string,
  input: { body?: string | undefined; changeSummary: string },
): Promise<PolicyVersionDetail> {
  return uow.write(async ({ tx, audit }) => {
    const policy = await repo.lockPolicy(tx, policyId);
    if (!policy) throw notFound();
    if (policy.retired_at !== null) throw new AppError('policy.retired', 'The policy is retired');
    const versions = await repo.findVersions(tx, [policyId]);
    const open = versions.find((v) => ['draft', 'in_review', 'approved'].includes(v.status));
    if (open) {
      throw new AppError(
        'policy.version_open',
        `Version ${String(open.number)} is still ${open.status.replace('_', ' ')}; finish it first`,
      );
    }
    const latest = versions[0];
    const version = await repo.insertVersion(tx, {
      orgId: uow.orgId,
      policyId,
      number: (latest?.number ?? 0) + 1,
      body: input.body ?? latest?.body ?? '',
      changeSummary: input.changeSummary,
      createdByUserId: userId,
      // Without a new body the draft starts as a copy of the latest version, document included.
      ...(input.body === undefined && latest
        ? { evidenceId: latest.evidence_id, fileFormat: latest.file_format }
        : {}),
    });
    await audit({
      action: 'policy.version_created',
      targetType: 'policy_version',
      targetId: version.id,
      changes: { policyId, number: version.number },
    });
    return toVersionDetail(version, policy, new Map(), await filesOf(tx, [version]));
  });
}

/** A version with its body. */
export async function getVersion(uow: UnitOfWork, versionId: string): Promise<PolicyVersionDetail> {
  return uow.read(async (tx) => {
    const version = await repo.findVersion(tx, versionId);
    if (!version) throw versionNotFound();
    const [policy] = await repo.findPolicies(tx, version.policy_id);
    if (!policy) throw versionNotFound();
    const users = await repo.findUsers(
      tx,
      version.published_by_user_id ? [version.published_by_user_id] : [],
    );
    return toVersionDetail(version, policy, users, await filesOf(tx, [version]));
  });
}

/** Edit a draft's body or change summary. */
export async function updateVersion(
  uow: UnitOfWork,
  versionId: string,
  input: z.output<typeof updatePolicyVersionSchema>,
): Promise<PolicyVersionDetail> {
  return uow.write(async ({ tx, audit }) => {
    const { version, policy } = await lockVersion(tx, versionId);
    if (version.status !== 'draft') throw wrongState(version, 'edited');
    if (input.body !== undefined && input.body.trim() !== '' && version.evidence_id !== null) {
      throw invalid(
        'body',
        'This draft is an uploaded document; remove the document to write the policy in Markdown',
      );
    }
    const row = await repo.updateVersion(tx, versionId, {
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.changeSummary === undefined ? {} : { change_summary: input.changeSummary }),
    });
    await audit({
      action: 'policy.version_updated',
      targetType: 'policy_version',
      targetId: versionId,
      changes: {
        policyId: policy.id,
        number: version.number,
        ...(input.body === undefined ? {} : { bodyLength: input.body.length }),
        ...(input.changeSummary === undefined ? {} : { changeSummary: input.changeSummary }),
      },
    });
    return toVersionDetail(row, policy, new Map(), await filesOf(tx, [row]));
  });
}

/** What uploading and serving policy documents needs. */
export interface PolicyFileDeps {
  blobStore: BlobStore;
}

/** A policy document on its way to the client. */
export interface PolicyFileDownload {
  stream: Readable;
  fileName: string;
  mediaType: string;
  format: PolicyFileFormat;
  sizeBytes: number;
  sha256: string;
}

/**
 * Make an uploaded document the body of a draft. The bytes are checked for what they are
 * (PDF or DOCX without macros) before anything is stored; the file becomes an evidence item
 * (content-addressed, hashed, dated) in the same transaction as the change of the draft.
 */
export async function attachFile(
  deps: PolicyFileDeps,
  uow: UnitOfWork,
  supplier: Supplier,
  versionId: string,
  file: ReceivedFile,
  changeSummary: string | undefined,
): Promise<PolicyVersionDetail> {
  const fileName = sanitizeFileName(file.fileName);
  let format: PolicyFileFormat;
  try {
    format = inspectPolicyFile(await readFile(file.path), fileName);
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    throw new AppError('policy.file_invalid', error.message, [
      { path: 'file', message: error.message },
    ]);
  }
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const { version, policy } = await lockVersion(tx, versionId);
    if (version.status !== 'draft') throw wrongState(version, 'edited');
    // The evidence module writes in this same transaction: one commit or nothing.
    const evidence = await addEvidence(
      { blobStore: deps.blobStore },
      scopedUnitOfWork(uow, scope),
      supplier,
      {
        fields: addEvidenceFieldsSchema.parse({
          title: `${policy.title}, version ${String(version.number)}`,
          description: `The document of version ${String(version.number)} of the policy "${policy.title}".`,
        }),
        file: { ...file, fileName, mediaType: policyFileMediaTypes[format] },
      },
    );
    const row = await repo.updateVersion(tx, versionId, {
      evidence_id: evidence.id,
      file_format: format,
      body: '',
      ...(changeSummary === undefined ? {} : { change_summary: changeSummary }),
    });
    await audit({
      action: 'policy.file_attached',
      targetType: 'policy_version',
      targetId: versionId,
      changes: {
        policyId: policy.id,
        number: version.number,
        evidenceId: evidence.id,
        format,
        fileName,
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        replacedEvidenceId: version.evidence_id,
      },
    });
    return toVersionDetail(row, policy, new Map(), await filesOf(tx, [row]));
  });
}

/** Remove the document of a draft (its evidence item stays): the body is Markdown again. */
export async function removeFile(uow: UnitOfWork, versionId: string): Promise<PolicyVersionDetail> {
  return uow.write(async ({ tx, audit }) => {
    const { version, policy } = await lockVersion(tx, versionId);
    if (version.status !== 'draft') throw wrongState(version, 'edited');
    if (version.evidence_id === null) throw new AppError('policy.file_missing');
    const row = await repo.updateVersion(tx, versionId, { evidence_id: null, file_format: null });
    await audit({
      action: 'policy.file_removed',
      targetType: 'policy_version',
      targetId: versionId,
      changes: { policyId: policy.id, number: version.number, evidenceId: version.evidence_id },
    });
    return toVersionDetail(row, policy, new Map(), new Map());
  });
}

/**
 * Open the document of a version. With `forUserId`, only for a person who was asked to
 * acknowledge that version (the self-service reading page); otherwise for policy readers.
 */
export async function openFile(
  deps: PolicyFileDeps,
  uow: UnitOfWork,
  versionId: string,
  forUserId?: string,
): Promise<PolicyFileDownload> {
  const found = await uow.read(async (tx) => {
    const version = await repo.findVersion(tx, versionId);
    if (!version) return null;
    if (
      forUserId !== undefined &&
      !(await repo.hasAcknowledgementRequest(tx, forUserId, versionId))
    ) {
      return null;
    }
    return { version, files: await filesOf(tx, [version]) };
  });
  if (!found) throw versionNotFound();
  const { version, files } = found;
  const file = version.evidence_id === null ? undefined : files.get(version.evidence_id);
  if (!file || file.file_sha256 === null || version.file_format === null) {
    throw new AppError('policy.file_missing');
  }
  if (file.deleted_at !== null) throw new AppError('evidence.deleted');
  return {
    stream: await deps.blobStore.open(file.file_sha256),
    fileName: file.file_name ?? `policy.${version.file_format}`,
    mediaType: file.media_type ?? 'application/octet-stream',
    format: version.file_format as PolicyFileFormat,
    sizeBytes: Number(file.size_bytes ?? 0),
    sha256: file.file_sha256,
  };
}

/** Submit a draft for review. */
export async function submitVersion(
  uow: UnitOfWork,
  versionId: string,
): Promise<PolicyVersionDetail> {
  return uow.write(async ({ tx, audit }) => {
    const { version, policy } = await lockVersion(tx, versionId);
    if (version.status !== 'draft') throw wrongState(version, 'submitted');
    if (version.body.trim() === '' && version.evidence_id === null) {
      throw invalid('body', 'Write the policy before submitting it');
    }
    if (policy.approver_ids.length === 0) {
      throw invalid('approverIds', 'Name at least one approver of the policy first');
    }
    const row = await repo.updateVersion(tx, versionId, {
      status: 'in_review',
      submitted_at: new Date(),
      approvals: '[]',
      is_material: null,
    });
    await audit({
      action: 'policy.submitted',
      targetType: 'policy_version',
      targetId: versionId,
      changes: { policyId: policy.id, number: version.number },
    });
    return toVersionDetail(row, policy, new Map(), await filesOf(tx, [row]));
  });
}

/** Approve a version in review as the next approver in order. */
export async function approveVersion(
  uow: UnitOfWork,
  userId: string,
  versionId: string,
  isMaterial: boolean,
): Promise<PolicyVersionDetail> {
  return uow.write(async ({ tx, audit }) => {
    const { version, policy } = await lockVersion(tx, versionId);
    if (version.status !== 'in_review') throw wrongState(version, 'approved');
    if (version.created_by_user_id === userId) {
      throw new AppError(
        'policy.own_draft',
        'You wrote this version; another approver must approve it',
      );
    }
    const next = policy.approver_ids[version.approvals.length];
    if (next !== userId) {
      throw new AppError(
        'policy.not_next_approver',
        policy.approver_ids.includes(userId)
          ? 'An earlier approver must approve this version first'
          : 'You are not an approver of this policy',
      );
    }
    const users = await repo.findUsers(tx, [userId]);
    const approval: PolicyApprovalRecord = {
      userId,
      name: users.get(userId)?.name ?? '',
      approvedAt: new Date().toISOString(),
    };
    const approvals = [...version.approvals, approval];
    const isLast = approvals.length >= policy.approver_ids.length;
    // The first version is always material: nobody has acknowledged anything yet.
    const material = version.number === 1 || isMaterial || version.is_material === true;
    const row = await repo.updateVersion(tx, versionId, {
      approvals: JSON.stringify(approvals),
      is_material: material,
      ...(isLast ? { status: 'approved' } : {}),
    });
    await audit({
      action: 'policy.approved',
      targetType: 'policy_version',
      targetId: versionId,
      changes: {
        policyId: policy.id,
        number: version.number,
        isMaterial: material,
        approverDecision: isMaterial,
        order: approvals.length,
        isFullyApproved: isLast,
      },
    });
    return toVersionDetail(row, policy, new Map(), await filesOf(tx, [row]));
  });
}

/** Publish an approved version: it supersedes the one in force; a material change asks everyone. */
export async function publishVersion(
  uow: UnitOfWork,
  userId: string,
  versionId: string,
): Promise<z.infer<typeof publishResultSchema>> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const { version, policy } = await lockVersion(tx, versionId);
    if (version.status !== 'approved') throw wrongState(version, 'published');
    if (policy.retired_at !== null) throw new AppError('policy.retired', 'The policy is retired');
    const now = new Date();
    const today = todayUtc(now);
    const versions = await repo.findVersions(tx, [policy.id]);
    const previous = versions.find((v) => v.status === 'published');
    if (previous) {
      await repo.updateVersion(tx, previous.id, { status: 'superseded', ended_at: now });
    }
    const row = await repo.updateVersion(tx, versionId, {
      status: 'published',
      published_at: now,
      published_by_user_id: userId,
    });
    let isMaterial = true;
    let carriedForward = 0;
    if (version.is_material === false && previous) {
      isMaterial = false;
      carriedForward = await repo.carryAcknowledgementsForward(
        tx,
        uow.orgId,
        previous.id,
        versionId,
      );
    }
    const requested = await repo.requestAcknowledgements(
      tx,
      uow.orgId,
      policy,
      versionId,
      addDays(today, isMaterial ? acknowledgementDays : newJoinerAcknowledgementDays),
    );
    await repo.updatePolicy(tx, policy.id, {
      next_review_on: addMonths(today, policy.review_cadence_months),
    });
    await audit({
      action: 'policy.published',
      targetType: 'policy_version',
      targetId: versionId,
      changes: {
        policyId: policy.id,
        number: version.number,
        isMaterial,
        supersededVersionId: previous?.id ?? null,
        approvals: version.approvals,
        acknowledgementsRequested: requested,
        acknowledgementsCarriedForward: carriedForward,
      },
    });
    await recordPolicyChecks(scope, uow.orgId);
    const users = await repo.findUsers(tx, [userId]);
    return { version: toVersion(row, users, await filesOf(tx, [row])), requested, carriedForward };
  });
}

/** Retire a policy: its version in force ends and its requests no longer count. */
export async function retirePolicy(uow: UnitOfWork, id: string): Promise<PolicyDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const policy = await repo.lockPolicy(tx, id);
    if (!policy) throw notFound();
    if (policy.retired_at !== null) throw new AppError('policy.retired', 'The policy is retired');
    const now = new Date();
    for (const v of await repo.findVersions(tx, [id])) {
      if (v.status === 'published') {
        await repo.updateVersion(tx, v.id, { status: 'retired', ended_at: now });
      }
    }
    await repo.updatePolicy(tx, id, { retired_at: now });
    await audit({ action: 'policy.retired', targetType: 'policy', targetId: id, changes: {} });
    await recordPolicyChecks(scope, uow.orgId);
    return loadDetail(tx, id);
  });
}

/** Record a review that changed nothing: the next review date moves on by the cadence. */
export async function reviewPolicy(
  uow: UnitOfWork,
  userId: string,
  id: string,
  note: string,
): Promise<PolicyDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const policy = await repo.lockPolicy(tx, id);
    if (!policy) throw notFound();
    if (policy.retired_at !== null) throw new AppError('policy.retired', 'The policy is retired');
    const versions = await repo.findVersions(tx, [id]);
    const published = versions.find((v) => v.status === 'published');
    if (!published) {
      throw new AppError(
        'policy.version_state',
        'The policy has no published version to review; publish one first',
      );
    }
    const today = todayUtc();
    const nextReviewOn = addMonths(today, policy.review_cadence_months);
    await repo.insertReview(tx, {
      orgId: uow.orgId,
      policyId: id,
      versionId: published.id,
      reviewedOn: today,
      reviewerId: userId,
      outcome: 'no_change',
      note,
    });
    await repo.updatePolicy(tx, id, { next_review_on: nextReviewOn });
    await audit({
      action: 'policy.reviewed',
      targetType: 'policy',
      targetId: id,
      changes: { versionId: published.id, outcome: 'no_change', nextReviewOn, note },
    });
    await recordPolicyChecks(scope, uow.orgId);
    return loadDetail(tx, id);
  });
}

/** A line diff of a version against an older one (by default the previous number). */
export async function diffVersion(
  uow: UnitOfWork,
  versionId: string,
  againstId: string | undefined,
): Promise<z.infer<typeof policyDiffSchema>> {
  return uow.read(async (tx) => {
    const to = await repo.findVersion(tx, versionId);
    if (!to) throw versionNotFound();
    const versions = await repo.findVersions(tx, [to.policy_id]);
    let from: repo.VersionRow | undefined;
    if (againstId !== undefined) {
      from = versions.find((v) => v.id === againstId);
      if (!from) throw invalid('against', 'Not a version of the same policy');
    } else {
      from = versions.find((v) => v.number === to.number - 1);
    }
    const users = await repo.findUsers(
      tx,
      [to, from].flatMap((v) => (v?.published_by_user_id ? [v.published_by_user_id] : [])),
    );
    const diff = diffLines(from?.body ?? '', to.body);
    const files = await filesOf(tx, from ? [from, to] : [to]);
    return {
      from: from ? toVersion(from, users, files) : null,
      to: toVersion(to, users, files),
      ...diff,
    };
  });
}

/** Versions in review whose next approver is this user. */
export async function listApprovals(
  uow: UnitOfWork,
  userId: string,
): Promise<z.infer<typeof policyApprovalItemSchema>[]> {
  return uow.read(async (tx) => {
    const versions = await repo.findVersionsInReview(tx);
    const policies = new Map((await repo.findPolicies(tx)).map((p) => [p.id, p]));
    const files = await filesOf(tx, versions);
    return versions.flatMap((v) => {
      const policy = policies.get(v.policy_id);
      if (!policy || policy.approver_ids[v.approvals.length] !== userId) return [];
      return [
        { ...toVersion(v, new Map(), files), policyTitle: policy.title, policyKey: policy.key },
      ];
    });
  });
}

type MyRow = Awaited<ReturnType<typeof repo.findMyAcknowledgements>>[number];

function toMyPolicy(row: MyRow, today: string, files: Files): MyPolicy {
  return {
    acknowledgementId: row.id,
    policyId: row.policy_id,
    versionId: row.version_id,
    title: row.title,
    number: row.number,
    publishedAt: iso(row.published_at),
    dueOn: row.due_on,
    isOverdue: row.acknowledged_at === null && row.due_on < today,
    acknowledgedAt: iso(row.acknowledged_at),
    body: row.body,
    file: toFile(row.evidence_id, row.file_format, files),
  };
}

/** The policies in force the user was asked to acknowledge. */
export async function listMyPolicies(uow: UnitOfWork, userId: string): Promise<MyPolicy[]> {
  const today = todayUtc();
  return uow.read(async (tx) => {
    const rows = await repo.findMyAcknowledgements(tx, userId);
    const files = await filesOf(tx, rows);
    return rows.map((r) => toMyPolicy(r, today, files));
  });
}

/** "I have read and will follow": acknowledge the version in force. */
export async function acknowledge(
  uow: UnitOfWork,
  userId: string,
  versionId: string,
): Promise<MyPolicy> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const [row] = await repo.findMyAcknowledgements(tx, userId, versionId);
    if (!row) {
      throw new AppError(
        'policy_version.not_found',
        'You were not asked to acknowledge this version',
      );
    }
    if (row.status !== 'published') {
      throw new AppError(
        'policy.version_superseded',
        `Version ${String(row.number)} of "${row.title}" is no longer in force; acknowledge the current version instead`,
      );
    }
    const now = new Date();
    if (row.acknowledged_at === null) {
      await repo.markAcknowledged(tx, row.id, now);
    }
    await audit({
      action: 'policy.acknowledged',
      targetType: 'policy_version',
      targetId: versionId,
      changes: {
        policyId: row.policy_id,
        number: row.number,
        method: 'web',
        acknowledgementId: row.id,
        ...(row.acknowledged_at === null ? {} : { alreadyAt: row.acknowledged_at.toISOString() }),
      },
    });
    await recordPolicyChecks(scope, uow.orgId);
    return toMyPolicy(
      { ...row, acknowledged_at: row.acknowledged_at ?? now },
      todayUtc(now),
      await filesOf(tx, [row]),
    );
  });
}

/** What the two policy checks conclude for the org today. */
export interface PolicyCheckOutcome {
  reviewsCurrent: { status: 'pass' | 'fail'; summary: string; details: Record<string, unknown> };
  acknowledgements: { status: 'pass' | 'fail'; summary: string; details: Record<string, unknown> };
}

/** Evaluate the policy checks: reviews within their dates, and acknowledgement coverage. */
export async function evaluatePolicyChecks(tx: Tx, today: string): Promise<PolicyCheckOutcome> {
  const policies = (await loadPolicies(tx)).filter((p) => p.retiredAt === null && p.published);
  const ids = policies.flatMap((p) => (p.published ? [p.published.id] : []));
  const coverage = await repo.findCoverage(tx, ids, today);
  const overdue = policies.filter((p) => p.nextReviewOn !== null && p.nextReviewOn < today);
  const below = policies.flatMap((p) => {
    const c = p.published ? coverage.get(p.published.id) : undefined;
    if (!c || c.requested === 0) return [];
    const share = c.on_time / c.requested;
    return share < coverageTarget
      ? [{ key: p.key, title: p.title, percent: percentOf(c.on_time, c.requested) }]
      : [];
  });
  const names = (list: { title: string }[]): string =>
    list
      .slice(0, 5)
      .map((p) => p.title)
      .join(', ') + (list.length > 5 ? ` and ${String(list.length - 5)} more` : '');
  return {
    reviewsCurrent:
      policies.length === 0
        ? { status: 'fail', summary: 'No policy is published', details: { policies: 0 } }
        : overdue.length > 0
          ? {
              status: 'fail',
              summary: `Review overdue: ${names(overdue)}`,
              details: { overdue: overdue.map((p) => ({ key: p.key, due: p.nextReviewOn })) },
            }
          : {
              status: 'pass',
              summary: `All ${String(policies.length)} published policies are within their review date`,
              details: { policies: policies.length },
            },
    acknowledgements:
      policies.length === 0
        ? { status: 'fail', summary: 'No policy is published', details: { policies: 0 } }
        : below.length > 0
          ? {
              status: 'fail',
              summary: `Fewer than ${String(coverageTarget * 100)}% acknowledged on time: ${names(below)}`,
              details: { below },
            }
          : {
              status: 'pass',
              summary: `At least ${String(coverageTarget * 100)}% of each audience acknowledged on time`,
              details: { policies: policies.length },
            },
  };
}

/**
 * Record both policy checks (when the org declared them) in the caller's write; a result equal to
 * today's latest is not recorded again. Control statuses follow through the controls module.
 */
export async function recordPolicyChecks(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const outcome = await evaluatePolicyChecks(scope.tx, todayUtc(now));
  const supplier = { userId: null, label: 'Steward policies' };
  const observedAt = now.toISOString();
  await recordCheckResultIn(
    scope,
    orgId,
    supplier,
    checkKeys.reviewsCurrent,
    { ...outcome.reviewsCurrent, observedAt },
    { onlyIfChanged: true },
  );
  await recordCheckResultIn(
    scope,
    orgId,
    supplier,
    checkKeys.acknowledgementsComplete,
    { ...outcome.acknowledgements, observedAt },
    { onlyIfChanged: true },
  );
}

/**
 * Daily work for one org: ask people who joined an audience to acknowledge the version in force
 * (7 days), then record the policy checks.
 */
export async function runDailyPolicyWork(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<number> {
  const today = todayUtc(now);
  let requested = 0;
  const policies = (await repo.findPolicies(scope.tx)).filter((p) => p.retired_at === null);
  const versions = await repo.findVersions(
    scope.tx,
    policies.map((p) => p.id),
  );
  for (const policy of policies) {
    const live = versions.find((v) => v.policy_id === policy.id && v.status === 'published');
    if (!live) continue;
    requested += await repo.requestAcknowledgements(
      scope.tx,
      orgId,
      policy,
      live.id,
      addDays(today, newJoinerAcknowledgementDays),
    );
  }
  await recordPolicyChecks(scope, orgId, now);
  return requested;
}
