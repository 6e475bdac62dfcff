import {
  roleHasPermission,
  type Campaign,
  type CampaignDetail,
  type ReviewItem,
  type ReviewProgress,
  type decideItemsSchema,
  type launchCampaignSchema,
  type reviewItemFilterSchema,
  type reviewItemQuerySchema,
} from '@steward/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import {
  scopedUnitOfWork,
  type UnitOfWork,
  type WriteScope,
} from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { BlobStore } from '../../platform/storage/index.ts';
import { formatCsv, recordCheckResultIn, todayUtc } from '../controls/index.ts';
import { addEvidence } from '../evidence/index.ts';
import { renderAccessReviewPdf } from './access-reviews-report.ts';
import * as repo from './access-reviews.repo.ts';

/** What the access review service needs. */
export interface AccessReviewDeps {
  blobStore: BlobStore;
  tempDir: string;
}

/** The annex task and checks access reviews prove. */
export const accessReviewKeys = {
  task: 'access_reviews.quarterly',
  completed: 'access_reviews.completed',
  revocationsApplied: 'access_reviews.revocations_applied',
} as const;

const checkSupplier = { userId: null, label: 'Steward access reviews' };

function toProgress(row: repo.ProgressRow | undefined): ReviewProgress {
  return {
    items: Number(row?.items ?? 0),
    decided: Number(row?.decided ?? 0),
    kept: Number(row?.kept ?? 0),
    revoked: Number(row?.revoked ?? 0),
    changed: Number(row?.changed ?? 0),
    pendingVerification: Number(row?.pending_verification ?? 0),
    verified: Number(row?.verified ?? 0),
  };
}

function toCampaign(
  row: repo.CampaignRow,
  systems: { id: string; name: string }[],
  progress: ReviewProgress,
  today: string,
): Campaign {
  return {
    id: row.id,
    name: row.name,
    owner: { id: row.owner_user_id, name: row.owner_name, email: row.owner_email },
    reviewerRule: row.reviewer_rule,
    dueOn: row.due_on,
    status: row.status,
    isOverdue: row.status === 'open' && row.due_on < today,
    launchedAt: row.launched_at.toISOString(),
    launchedBy: row.launched_by_label,
    closedAt: row.closed_at?.toISOString() ?? null,
    reportEvidenceId: row.report_evidence_id,
    reportPdfEvidenceId: row.report_pdf_evidence_id,
    systems,
    progress,
  };
}

function toItem(row: repo.ItemRow): ReviewItem {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    system: { id: row.system_id, name: row.system_name },
    accountId: row.account_id,
    externalId: row.external_id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    person:
      row.person_id === null ? null : { id: row.person_id, name: row.person_name ?? row.person_id },
    accountStatus: row.account_status,
    isPrivileged: row.is_privileged,
    mfaEnabled: row.mfa_enabled,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    entitlements: row.entitlements,
    reviewer: { id: row.reviewer_user_id, name: row.reviewer_name, email: row.reviewer_email },
    reviewerSource: row.reviewer_source,
    decision: row.decision,
    reason: row.reason,
    decidedBy: row.decided_by_label,
    decidedAt: row.decided_at?.toISOString() ?? null,
    verification: row.verification,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    verifiedBy: row.verified_by,
  };
}

/** Whether the caller sees whole campaigns, or only the accounts they review. */
function seesAll(identity: Identity): boolean {
  return roleHasPermission(identity.role, 'systems.read');
}

async function loadDetail(
  tx: Parameters<Parameters<UnitOfWork['read']>[0]>[0],
  id: string,
  identity: Identity | null,
  today: string,
): Promise<CampaignDetail> {
  const row = await repo.findCampaign(tx, id);
  const onlyMine = identity !== null && !seesAll(identity) ? identity.userId : null;
  if (!row) throw new AppError('access_review.not_found');
  const [systems, progress, reviewers] = await Promise.all([
    repo.findCampaignSystems(tx, [id]),
    repo.countProgress(tx, [id], onlyMine),
    repo.countProgressByReviewer(tx, id),
  ]);
  const shownReviewers = reviewers.filter((r) => onlyMine === null || r.user_id === onlyMine);
  if (onlyMine !== null && shownReviewers.length === 0) {
    throw new AppError('access_review.not_found');
  }
  return {
    ...toCampaign(
      row,
      systems.map((s) => ({ id: s.system_id, name: s.system_name })),
      toProgress(progress.get(id)),
      today,
    ),
    reviewers: shownReviewers.map((r) => ({
      id: r.user_id,
      name: r.name,
      email: r.email,
      progress: toProgress(r),
    })),
  };
}

/** Campaigns, newest first: all of them, or those the caller reviews in. */
export async function listCampaigns(
  uow: UnitOfWork,
  identity: Identity,
  now = new Date(),
): Promise<{ items: Campaign[] }> {
  const onlyMine = seesAll(identity) ? null : identity.userId;
  return uow.read(async (tx) => {
    const rows = await repo.findCampaigns(tx, onlyMine);
    const ids = rows.map((r) => r.id);
    const [systems, progress] = await Promise.all([
      repo.findCampaignSystems(tx, ids),
      repo.countProgress(tx, ids, onlyMine),
    ]);
    const today = todayUtc(now);
    return {
      items: rows.map((row) =>
        toCampaign(
          row,
          systems
            .filter((s) => s.campaign_id === row.id)
            .map((s) => ({ id: s.system_id, name: s.system_name })),
          toProgress(progress.get(row.id)),
          today,
        ),
      ),
    };
  });
}

/** One campaign; a reviewer without `systems.read` sees only their share. */
export async function getCampaign(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  now = new Date(),
): Promise<CampaignDetail> {
  return uow.read((tx) => loadDetail(tx, id, identity, todayUtc(now)));
}

/**
 * Launch a campaign: copy every account (not removed) of the systems with its entitlements into
 * review items and assign each a reviewer, in one transaction.
 */
export async function launchCampaign(
  uow: UnitOfWork,
  identity: Identity,
  input: z.output<typeof launchCampaignSchema>,
  now = new Date(),
): Promise<CampaignDetail> {
  const today = todayUtc(now);
  if (input.dueOn < today) {
    throw new AppError('request.invalid', 'The due date has passed', [
      { path: 'dueOn', message: 'Choose today or a later day' },
    ]);
  }
  return uow.write(async (scope) => {
    const { tx } = scope;
    const systems = await repo.findSystems(tx, input.systemIds);
    const missing = input.systemIds.filter((id) => !systems.some((s) => s.id === id));
    if (missing.length > 0) {
      throw new AppError('request.invalid', `No such system: ${missing.join(', ')}`, [
        { path: 'systemIds', message: `No such system (or retired): ${missing.join(', ')}` },
      ]);
    }
    const id = await repo.insertCampaign(tx, {
      orgId: uow.orgId,
      name: input.name,
      ownerUserId: identity.userId,
      reviewerRule: input.reviewerRule,
      dueOn: input.dueOn,
      launchedBy: identity.label,
      systems,
    });
    const items = await repo.insertSnapshot(tx, id);
    const inScope = await repo.countAccountsInScope(tx, id);
    if (inScope === 0) throw new AppError('access_review.no_accounts');
    // Checked after the insert, which skips them, so the usual launch plans the accounts once.
    const stuck = items === inScope ? [] : await repo.findUnreviewable(tx, id);
    if (stuck.length > 0) {
      const names = stuck.map((s) => `${s.external_id} on ${s.system_name}`).join(', ');
      throw new AppError(
        'request.invalid',
        `Nobody but the account holder could review: ${names}. Give the system an owner, or let someone else launch the campaign`,
        [{ path: 'systemIds', message: `No reviewer other than the holder for ${names}` }],
      );
    }
    await scope.audit({
      action: 'access_review.launched',
      targetType: 'access_review',
      targetId: id,
      changes: {
        name: input.name,
        systems: systems.map((s) => s.name),
        reviewerRule: input.reviewerRule,
        dueOn: input.dueOn,
        items,
      },
    });
    return loadDetail(tx, id, null, today);
  });
}

function toFilters(
  identity: Identity,
  filters: z.output<typeof reviewItemFilterSchema> | { privileged?: boolean },
): repo.ItemFilters {
  const f = filters as z.output<typeof reviewItemFilterSchema>;
  const reviewer = f.reviewer === 'me' ? identity.userId : f.reviewer;
  return {
    systemId: f.systemId,
    // Without systems.read a caller sees only what they review.
    reviewerId: seesAll(identity) ? reviewer : identity.userId,
    decision: f.decision,
    verification: f.verification,
    privileged: f.privileged,
    q: f.q,
  };
}

/** A page of a campaign's items. */
export async function listItems(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  query: z.output<typeof reviewItemQuerySchema>,
): Promise<{ items: ReviewItem[]; total: number }> {
  return uow.read(async (tx) => {
    const campaign = await repo.findCampaign(tx, id);
    if (!campaign) throw new AppError('access_review.not_found');
    const { rows, total } = await repo.findItems(tx, id, toFilters(identity, query), {
      offset: query.offset,
      limit: query.limit,
    });
    return { items: rows.map(toItem), total };
  });
}

/**
 * Decide on items. Chosen items must each be the caller's to review (or the caller owns the
 * campaign) and never their own access; a filter decides every undecided item it matches that
 * the caller may decide. Reasons are required for revoke and change (the schema says so).
 */
export async function decideItems(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  input: z.output<typeof decideItemsSchema>,
): Promise<{ decided: number }> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const campaign = await repo.findCampaign(tx, id, true);
    if (!campaign) throw new AppError('access_review.not_found');
    if (campaign.status === 'closed') throw new AppError('access_review.closed');
    const isOwner = campaign.owner_user_id === identity.userId;
    const email = await callerEmail(tx, identity.userId);
    const decision = {
      decision: input.decision,
      reason: input.reason === undefined || input.reason === '' ? null : input.reason,
      userId: identity.userId,
      label: identity.label,
      email,
    };
    let decided: number;
    if (input.itemIds !== undefined) {
      const found = await repo.findItemsForDecision(tx, id, input.itemIds);
      const missing = input.itemIds.filter((itemId) => !found.some((f) => f.id === itemId));
      if (missing.length > 0) {
        throw new AppError('access_review.item_not_found', undefined, [
          { path: 'itemIds', message: `Not in this campaign: ${missing.slice(0, 5).join(', ')}` },
        ]);
      }
      const own = found.filter((f) => f.holders_email === email || f.person_email === email);
      if (own.length > 0) {
        throw new AppError('access_review.self_review', undefined, [
          { path: 'itemIds', message: `Your own access: ${own.map((o) => o.id).join(', ')}` },
        ]);
      }
      const notMine = found.filter((f) => !isOwner && f.reviewer_user_id !== identity.userId);
      if (notMine.length > 0) {
        throw new AppError('access_review.not_reviewer', undefined, [
          {
            path: 'itemIds',
            message: `Assigned to another reviewer: ${notMine.map((o) => o.id).join(', ')}`,
          },
        ]);
      }
      if (found.some((f) => f.verification === 'verified')) {
        throw new AppError('request.invalid', 'A verified revocation cannot be decided again', [
          { path: 'itemIds', message: 'Remove the items already verified' },
        ]);
      }
      decided = await repo.decideItems(tx, id, { ids: input.itemIds }, decision);
    } else {
      const filters = toFilters(identity, input.filter ?? {});
      decided = await repo.decideItems(tx, id, { filters, anyReviewer: isOwner }, decision);
    }
    await scope.audit({
      action: 'access_review.decided',
      targetType: 'access_review',
      targetId: id,
      changes: {
        decision: input.decision,
        reason: decision.reason,
        items: decided,
        ...(input.itemIds !== undefined ? { itemIds: input.itemIds.slice(0, 100) } : {}),
        ...(input.filter !== undefined ? { filter: input.filter } : {}),
      },
    });
    await recordAccessReviewChecks(scope, uow.orgId);
    return { decided };
  });
}

async function callerEmail(
  tx: Parameters<Parameters<UnitOfWork['read']>[0]>[0],
  userId: string,
): Promise<string> {
  const row = await tx
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.email ?? '';
}

/** Verify a pending revocation or change with evidence (the system owner's proof). */
export async function verifyItemByEvidence(
  uow: UnitOfWork,
  identity: Identity,
  campaignId: string,
  itemId: string,
  evidenceId: string,
): Promise<ReviewItem> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const campaign = await repo.findCampaign(tx, campaignId, true);
    if (!campaign) throw new AppError('access_review.not_found');
    const item = (await repo.findItems(tx, campaignId, { itemId }, null)).rows[0];
    if (!item) throw new AppError('access_review.item_not_found');
    const systems = await repo.findSystems(tx, [item.system_id]);
    const mayVerify =
      campaign.owner_user_id === identity.userId ||
      systems[0]?.owner_user_id === identity.userId ||
      roleHasPermission(identity.role, 'systems.manage');
    if (!mayVerify) {
      throw new AppError('auth.forbidden', 'Only the system owner or the campaign owner verifies');
    }
    if (item.verification !== 'pending') throw new AppError('access_review.not_pending');
    if (!(await repo.isLiveEvidence(tx, evidenceId))) {
      throw new AppError('request.invalid', 'No such evidence', [
        { path: 'evidenceId', message: 'Choose evidence that exists and is not deleted' },
      ]);
    }
    await repo.verifyByEvidence(tx, itemId, evidenceId);
    await scope.audit({
      action: 'access_review.verified',
      targetType: 'access_review_item',
      targetId: itemId,
      changes: { campaignId, by: 'evidence', evidenceId },
    });
    await recordAccessReviewChecks(scope, uow.orgId);
    const updated = (await repo.findItems(tx, campaignId, { itemId }, null)).rows[0];
    if (!updated) throw new AppError('access_review.item_not_found');
    return toItem(updated);
  });
}

/** Columns of a campaign's report. */
export const reportColumns = [
  'system',
  'account',
  'username',
  'email',
  'person',
  'privileged',
  'entitlements',
  'reviewer',
  'reviewer_source',
  'decision',
  'reason',
  'decided_by',
  'decided_at',
  'verification',
  'verified_by',
  'verified_at',
] as const;

function reportCsv(rows: repo.ItemRow[]): string {
  return formatCsv(
    reportColumns,
    rows.map((r) => [
      r.system_name,
      r.external_id,
      r.username ?? '',
      r.email ?? '',
      r.person_name ?? '',
      r.is_privileged ? 'yes' : 'no',
      r.entitlements.map((e) => `${e.kind}:${e.name}`).join('; '),
      `${r.reviewer_name} <${r.reviewer_email}>`,
      r.reviewer_source,
      r.decision ?? '',
      r.reason ?? '',
      r.decided_by_label ?? '',
      r.decided_at?.toISOString() ?? '',
      r.verification,
      r.verified_by ?? '',
      r.verified_at?.toISOString() ?? '',
    ]),
  );
}

/** The report of a campaign as CSV. */
export async function exportReport(uow: UnitOfWork, id: string): Promise<string> {
  return uow.read(async (tx) => {
    const campaign = await repo.findCampaign(tx, id);
    if (!campaign) throw new AppError('access_review.not_found');
    return reportCsv((await repo.findItems(tx, id, {}, null)).rows);
  });
}

/** The report of a campaign as PDF (an interim one while the campaign is open). */
export async function exportReportPdf(
  uow: UnitOfWork,
  id: string,
  now = new Date(),
): Promise<Buffer> {
  return uow.read(async (tx) => {
    const campaign = await repo.findCampaign(tx, id);
    if (!campaign) throw new AppError('access_review.not_found');
    const systems = await repo.findCampaignSystems(tx, [id]);
    const { rows } = await repo.findItems(tx, id, {}, null);
    return renderAccessReviewPdf({
      campaign,
      systems: systems.map((s) => s.system_name),
      items: rows,
      generatedAt: now,
    });
  });
}

/**
 * Close a campaign once every decision is made and every revocation verified: its reports (CSV
 * and PDF) are stored as evidence for the quarterly access review task, in the same transaction.
 */
export async function closeCampaign(
  deps: AccessReviewDeps,
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  now = new Date(),
): Promise<CampaignDetail> {
  const base = path.join(deps.tempDir, `access-review-${randomUUID()}`);
  const files = { csv: `${base}.csv`, pdf: `${base}.pdf` };
  try {
    return await uow.write(async (scope) => {
      const { tx } = scope;
      const campaign = await repo.findCampaign(tx, id, true);
      if (!campaign) throw new AppError('access_review.not_found');
      if (campaign.status === 'closed') throw new AppError('access_review.closed');
      const { rows } = await repo.findItems(tx, id, {}, null);
      const undecided = rows.filter((r) => r.decision === null).length;
      const pending = rows.filter((r) => r.verification === 'pending').length;
      if (undecided > 0 || pending > 0) {
        throw new AppError(
          'access_review.not_ready',
          `${String(undecided)} account(s) without a decision, ${String(pending)} revocation(s) or change(s) not yet verified`,
        );
      }
      const systems = await repo.findCampaignSystems(tx, [id]);
      const reports = {
        csv: Buffer.from(reportCsv(rows)),
        pdf: renderAccessReviewPdf({
          campaign: { ...campaign, status: 'closed', closed_at: now },
          systems: systems.map((s) => s.system_name),
          items: rows,
          generatedAt: now,
        }),
      };
      await mkdir(deps.tempDir, { recursive: true });
      const taskId = await repo.findReviewTask(tx, accessReviewKeys.task);
      const description = `Closed access review campaign "${campaign.name}" (launched ${campaign.launched_at.toISOString().slice(0, 10)} by ${campaign.launched_by_label}): ${String(rows.length)} accounts reviewed, every decision recorded and every revocation verified.`;
      const store = async (format: 'csv' | 'pdf') => {
        const bytes = reports[format];
        await writeFile(files[format], bytes);
        return addEvidence(
          { blobStore: deps.blobStore },
          scopedUnitOfWork(uow, scope),
          { userId: identity.userId, label: identity.label },
          {
            fields: {
              title: `Access review report${format === 'pdf' ? ' (PDF)' : ''}: ${campaign.name}`,
              description,
              controlIds: [],
              ...(taskId !== undefined ? { taskId } : {}),
            },
            file: {
              field: 'report',
              fileName: `access-review-${todayUtc(now)}.${format}`,
              mediaType: format === 'pdf' ? 'application/pdf' : 'text/csv',
              path: files[format],
              sizeBytes: bytes.length,
              sha256: createHash('sha256').update(bytes).digest('hex'),
            },
          },
          now,
        );
      };
      // The CSV first: it completes the task's occurrence; the PDF joins it as more evidence.
      const csvEvidence = await store('csv');
      const pdfEvidence = await store('pdf');
      await repo.closeCampaign(tx, id, { csv: csvEvidence.id, pdf: pdfEvidence.id });
      await scope.audit({
        action: 'access_review.closed',
        targetType: 'access_review',
        targetId: id,
        changes: {
          items: rows.length,
          reportEvidenceId: csvEvidence.id,
          reportPdfEvidenceId: pdfEvidence.id,
        },
      });
      await recordAccessReviewChecks(scope, uow.orgId, now);
      return loadDetail(tx, id, null, todayUtc(now));
    });
  } finally {
    await Promise.all([rm(files.csv, { force: true }), rm(files.pdf, { force: true })]);
  }
}

/**
 * After a sync of a system: verify the revocations and changes it shows carried out, audit them
 * and record the checks. Called inside the sync's transaction.
 */
export async function verifyAfterSync(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  event: { orgId: string; systemId: string; syncId: string },
): Promise<void> {
  const verified = await repo.verifyBySync(scope.tx, event.systemId, event.syncId);
  for (const row of verified) {
    await scope.audit({
      action: 'access_review.verified',
      targetType: 'access_review',
      targetId: row.campaign_id,
      changes: { by: 'sync', syncId: event.syncId, systemId: event.systemId, items: Number(row.n) },
    });
  }
  if (verified.length > 0) await recordAccessReviewChecks(scope, event.orgId);
}

/** Record both access review checks (when the org declared them); unchanged results are not repeated. */
export async function recordAccessReviewChecks(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const since = new Date(now.getTime() - 92 * 24 * 3600 * 1000);
  const figures = await repo.readCheckFigures(scope.tx, since);
  const observedAt = now.toISOString();
  const total = figures.unreviewed.length + figures.reviewed.length;
  const list = (names: string[]): string =>
    names.slice(0, 5).join(', ') +
    (names.length > 5 ? ` and ${String(names.length - 5)} more` : '');
  await recordCheckResultIn(
    scope,
    orgId,
    checkSupplier,
    accessReviewKeys.completed,
    total === 0
      ? {
          status: 'fail',
          summary: 'No production system or system holding customer data is in the inventory',
          details: { systems: 0 },
          observedAt,
        }
      : figures.unreviewed.length > 0
        ? {
            status: 'fail',
            summary: `No access review closed in the last three months for ${list(figures.unreviewed)}`,
            details: { unreviewed: figures.unreviewed },
            observedAt,
          }
        : {
            status: 'pass',
            summary: `All ${String(total)} in-scope systems had an access review closed in the last three months`,
            details: { systems: total },
            observedAt,
          },
    { onlyIfChanged: true },
  );
  await recordCheckResultIn(
    scope,
    orgId,
    checkSupplier,
    accessReviewKeys.revocationsApplied,
    figures.overduePending > 0
      ? {
          status: 'fail',
          summary: `${String(figures.overduePending)} revocation(s) decided more than 7 days ago are not yet seen carried out`,
          details: { overdue: figures.overduePending },
          observedAt,
        }
      : {
          status: 'pass',
          summary:
            'Every revocation decided in a review was carried out within 7 days or is still within them',
          details: { overdue: 0 },
          observedAt,
        },
    { onlyIfChanged: true },
  );
}
