import type {
  createRiskSchema,
  riskChangeKinds,
  riskDetailSchema,
  riskHeatMapSchema,
  riskPageSchema,
  riskQuerySchema,
  riskRegisterAcceptanceSchema,
  riskSchema,
  riskSettingsSchema,
  updateRiskSchema,
  updateRiskSettingsSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError, type FieldError } from '../../platform/errors/app-error.ts';
import { addMonths, formatCsvCell, refreshControlStatuses, todayUtc } from '../controls/index.ts';
import { recordRiskChecks } from './risk-checks.service.ts';
import { countOpenHighRisks } from './risk-metrics.repo.ts';
import {
  bandOf,
  buildHeatMap,
  currentScoreOf,
  residualScoreOf,
  scoreOf,
  type RiskRatings,
} from './risk-scoring.ts';
import * as repo from './risks.repo.ts';

type Risk = z.infer<typeof riskSchema>;
type RiskDetail = z.infer<typeof riskDetailSchema>;
type RiskQuery = z.output<typeof riskQuerySchema>;
type ChangeKind = (typeof riskChangeKinds)[number];
type Acceptance = z.infer<typeof riskRegisterAcceptanceSchema>;

/** Who changes the register: a user, or a job by label. */
export interface RiskActor {
  userId: string | null;
  label: string;
}

/** Field changes as the history stores them. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** Thrown inside a write that turned out to change nothing, so it rolls back unaudited. */
class NothingChanged extends Error {}

/** Run a write; when it changed nothing, answer with the risk as it stands instead. */
async function writeOrRead(
  uow: UnitOfWork,
  id: string,
  today: string,
  fn: (scope: WriteScope) => Promise<RiskDetail>,
): Promise<RiskDetail> {
  try {
    return await uow.write(fn);
  } catch (error) {
    if (!(error instanceof NothingChanged)) throw error;
    return uow.read((tx) => loadRiskDetail(tx, id, today));
  }
}

/** Most risks one CSV export writes. */
export const exportLimit = 10000;

function notFound(): AppError {
  return new AppError('risk.not_found', 'No such risk');
}

function invalid(errors: FieldError[]): AppError {
  return new AppError('request.invalid', errors.map((e) => e.message).join('; '), errors);
}

function ratingsOf(row: repo.RiskRow): RiskRatings {
  return {
    inherentLikelihood: row.inherent_likelihood,
    inherentImpact: row.inherent_impact,
    residualLikelihood: row.residual_likelihood,
    residualImpact: row.residual_impact,
  };
}

/** A risk row as the API lists it. */
export function toRisk(
  row: repo.RiskRow,
  context: {
    users: Map<string, repo.UserRef>;
    acceptances: Map<string, { id: string; status: Acceptance['status']; expires_on: string }>;
    controlCounts: Map<string, number>;
    today: string;
  },
): Risk {
  const ratings = ratingsOf(row);
  const score = currentScoreOf(ratings);
  const acceptance = context.acceptances.get(row.id);
  const isLive = row.status !== 'closed';
  return {
    id: row.id,
    ref: row.ref,
    title: row.title,
    category: row.category,
    owner: row.owner_user_id === null ? null : (context.users.get(row.owner_user_id) ?? null),
    inherentLikelihood: row.inherent_likelihood,
    inherentImpact: row.inherent_impact,
    inherentScore: scoreOf(row.inherent_likelihood, row.inherent_impact),
    residualLikelihood: row.residual_likelihood,
    residualImpact: row.residual_impact,
    residualScore: residualScoreOf(ratings),
    score,
    band: bandOf(score),
    treatment: row.treatment,
    treatmentDueOn: row.treatment_due_on,
    treatmentCompletedOn: row.treatment_completed_on,
    reviewOn: row.review_on,
    lastReviewedOn: row.last_reviewed_on,
    isReviewOverdue: isLive && row.review_on < context.today,
    isTreatmentOverdue: isLive && isTreatmentOverdue(row, context.today),
    status: row.status,
    acceptance: acceptance
      ? { id: acceptance.id, status: acceptance.status, expiresOn: acceptance.expires_on }
      : null,
    controlCount: context.controlCounts.get(row.id) ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Whether a risk's treatment action (not acceptance) is past its due date and not done. */
export function isTreatmentOverdue(
  row: Pick<repo.RiskRow, 'treatment' | 'treatment_due_on' | 'treatment_completed_on'>,
  today: string,
): boolean {
  return (
    row.treatment !== 'accept' &&
    row.treatment_due_on !== null &&
    row.treatment_completed_on === null &&
    row.treatment_due_on < today
  );
}

/** An acceptance row as the API shows it. */
export function toAcceptance(
  row: repo.AcceptanceRow,
  users: Map<string, repo.UserRef>,
): Acceptance {
  return {
    id: row.id,
    riskId: row.risk_id,
    riskRef: row.risk_ref,
    riskTitle: row.risk_title,
    status: row.status,
    justification: row.justification,
    expiresOn: row.expires_on,
    requestedBy: users.get(row.requested_by_user_id) ?? null,
    requestedAt: row.requested_at.toISOString(),
    decidedBy: row.decided_by_user_id === null ? null : (users.get(row.decided_by_user_id) ?? null),
    decidedAt: row.decided_at === null ? null : row.decided_at.toISOString(),
    decisionNote: row.decision_note,
  };
}

/** User ids an acceptance names. */
export function acceptanceUserIds(rows: readonly repo.AcceptanceRow[]): string[] {
  return rows.flatMap((r) => [
    r.requested_by_user_id,
    ...(r.decided_by_user_id === null ? [] : [r.decided_by_user_id]),
  ]);
}

async function toRisks(tx: Tx, rows: repo.RiskRow[], today: string): Promise<Risk[]> {
  const ids = rows.map((r) => r.id);
  const [users, acceptances, controlCounts] = await Promise.all([
    repo.findUsers(
      tx,
      rows.flatMap((r) => (r.owner_user_id === null ? [] : [r.owner_user_id])),
    ),
    repo.findCurrentAcceptances(tx, ids),
    repo.countControls(tx, ids),
  ]);
  return rows.map((r) => toRisk(r, { users, acceptances, controlCounts, today }));
}

/** Load a risk's detail in a transaction. */
export async function loadRiskDetail(tx: Tx, id: string, today = todayUtc()): Promise<RiskDetail> {
  const row = await repo.findRisk(tx, id);
  if (!row) throw notFound();
  const [[risk], controls, acceptanceRows, changes] = await Promise.all([
    toRisks(tx, [row], today),
    repo.findRiskControls(tx, id),
    repo.findAcceptances(tx, { riskId: id }),
    repo.findChanges(tx, id),
  ]);
  if (!risk) throw notFound();
  const users = await repo.findUsers(tx, acceptanceUserIds(acceptanceRows));
  return {
    ...risk,
    description: row.description,
    treatmentPlan: row.treatment_plan,
    controls,
    acceptances: acceptanceRows.map((a) => toAcceptance(a, users)),
    history: changes.map((c) => ({
      id: c.id,
      kind: c.kind as ChangeKind,
      changes: c.changes as FieldChanges,
      note: c.note,
      actor: { userId: c.actor_user_id, label: c.actor },
      at: c.changed_at.toISOString(),
    })),
  };
}

/** The register, filtered, sorted and paged. */
export async function listRisks(
  uow: UnitOfWork,
  query: RiskQuery,
  today = todayUtc(),
): Promise<z.infer<typeof riskPageSchema>> {
  return uow.read(async (tx) => {
    const { rows, total } = await repo.findRisksPage(tx, query, today, query);
    return { items: await toRisks(tx, rows, today), total };
  });
}

/** A risk with its controls, acceptances and history. */
export async function getRisk(uow: UnitOfWork, id: string): Promise<RiskDetail> {
  return uow.read((tx) => loadRiskDetail(tx, id));
}

/** Counts of live risks per cell, inherent and residual. */
export async function getHeatMap(uow: UnitOfWork): Promise<z.infer<typeof riskHeatMapSchema>> {
  return uow.read(async (tx) => {
    const rows = await repo.findOpenRatings(tx);
    const map = buildHeatMap(
      rows.map((r) => ({
        inherentLikelihood: r.inherent_likelihood,
        inherentImpact: r.inherent_impact,
        residualLikelihood: r.residual_likelihood,
        residualImpact: r.residual_impact,
      })),
    );
    return { ...map, total: rows.length, openHigh: await countOpenHighRisks(tx) };
  });
}

/** Columns of the register's CSV export. */
export const riskCsvColumns = [
  'ref',
  'title',
  'category',
  'status',
  'owner',
  'inherent likelihood',
  'inherent impact',
  'inherent score',
  'treatment',
  'treatment due',
  'treatment completed',
  'residual likelihood',
  'residual impact',
  'residual score',
  'score',
  'band',
  'review on',
  'last reviewed',
  'acceptance expires',
  'linked controls',
] as const;

/** The register as CSV (RFC 4180; formula-like cells neutralised), same filters as the list. */
export async function exportRisksCsv(
  uow: UnitOfWork,
  query: RiskQuery,
  today = todayUtc(),
): Promise<string> {
  const items = await uow.read(async (tx) => {
    const { rows } = await repo.findRisksPage(tx, query, today, { limit: exportLimit, offset: 0 });
    return toRisks(tx, rows, today);
  });
  const line = (cells: readonly (string | number | null)[]): string =>
    `${cells.map(formatCsvCell).join(',')}\r\n`;
  return (
    line([...riskCsvColumns]) +
    items
      .map((r) =>
        line([
          r.ref,
          r.title,
          r.category,
          r.status,
          r.owner?.email ?? null,
          r.inherentLikelihood,
          r.inherentImpact,
          r.inherentScore,
          r.treatment,
          r.treatmentDueOn,
          r.treatmentCompletedOn,
          r.residualLikelihood,
          r.residualImpact,
          r.residualScore,
          r.score,
          r.band,
          r.reviewOn,
          r.lastReviewedOn,
          r.acceptance?.status === 'approved' ? r.acceptance.expiresOn : null,
          r.controlCount,
        ]),
      )
      .join('')
  );
}

async function checkOwner(tx: Tx, ownerUserId: string | null | undefined): Promise<void> {
  if (ownerUserId === null || ownerUserId === undefined) return;
  if (!(await repo.isActiveUser(tx, ownerUserId))) {
    throw invalid([{ path: 'ownerUserId', message: 'No such active user in this organisation' }]);
  }
}

async function checkControls(tx: Tx, controlIds: readonly string[]): Promise<void> {
  const found = await repo.findControlIds(tx, controlIds);
  const errors = controlIds.flatMap((id, i) =>
    found.has(id) ? [] : [{ path: `controlIds.${String(i)}`, message: 'No such control' }],
  );
  if (errors.length > 0) throw invalid(errors);
}

/** Residual ratings go together: both set or both empty. */
function checkResidualPair(likelihood: number | null, impact: number | null): void {
  if ((likelihood === null) === (impact === null)) return;
  throw invalid([
    likelihood === null
      ? { path: 'residualLikelihood', message: 'Rate the residual likelihood too, or neither' }
      : { path: 'residualImpact', message: 'Rate the residual impact too, or neither' },
  ]);
}

/** Append a history entry and audit it under `action`. */
export async function recordChange(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  actor: RiskActor,
  risk: { id: string; ref: string },
  entry: {
    kind: ChangeKind;
    action: Parameters<WriteScope['audit']>[0]['action'];
    changes: FieldChanges;
    note?: string;
    extra?: Record<string, unknown>;
  },
): Promise<void> {
  await repo.insertChange(scope.tx, {
    orgId,
    riskId: risk.id,
    kind: entry.kind,
    changes: entry.changes,
    note: entry.note ?? '',
    actorUserId: actor.userId,
    actor: actor.label,
  });
  await scope.audit({
    action: entry.action,
    targetType: 'risk',
    targetId: risk.id,
    changes: {
      ref: risk.ref,
      ...entry.changes,
      ...(entry.note ? { note: entry.note } : {}),
      ...entry.extra,
    },
  });
}

/** Record the risk checks and refresh the controls a change touched. */
async function afterChange(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  controlIds: readonly string[],
): Promise<void> {
  await recordRiskChecks(scope, orgId);
  if (controlIds.length > 0) await refreshControlStatuses(scope, orgId, controlIds);
}

/** Add a risk to the register with the next ref. */
export async function createRisk(
  uow: UnitOfWork,
  actor: RiskActor,
  input: z.output<typeof createRiskSchema>,
  today = todayUtc(),
): Promise<RiskDetail> {
  checkResidualPair(input.residualLikelihood, input.residualImpact);
  return uow.write(async (scope) => {
    const { tx } = scope;
    await checkOwner(tx, input.ownerUserId);
    const controlIds = [...new Set(input.controlIds)];
    await checkControls(tx, controlIds);
    const cadence = await repo.findReviewCadence(tx);
    const number = await repo.nextRiskNumber(tx, uow.orgId);
    const ref = `R-${String(number).padStart(3, '0')}`;
    const row = await repo.insertRisk(tx, {
      org_id: uow.orgId,
      number,
      ref,
      title: input.title,
      description: input.description,
      category: input.category,
      owner_user_id: input.ownerUserId,
      inherent_likelihood: input.inherentLikelihood,
      inherent_impact: input.inherentImpact,
      treatment: input.treatment,
      treatment_plan: input.treatmentPlan,
      treatment_due_on: input.treatmentDueOn,
      residual_likelihood: input.residualLikelihood,
      residual_impact: input.residualImpact,
      review_on: input.reviewOn ?? addMonths(today, cadence),
    });
    await repo.linkControls(tx, uow.orgId, row.id, controlIds);
    const changes: FieldChanges = {};
    for (const [field, value] of Object.entries({
      title: row.title,
      category: row.category,
      ownerUserId: row.owner_user_id,
      inherentLikelihood: row.inherent_likelihood,
      inherentImpact: row.inherent_impact,
      treatment: row.treatment,
      treatmentDueOn: row.treatment_due_on,
      residualLikelihood: row.residual_likelihood,
      residualImpact: row.residual_impact,
      reviewOn: row.review_on,
      status: row.status,
    })) {
      if (value !== null) changes[field] = { from: null, to: value };
    }
    if (controlIds.length > 0) changes.controlIds = { from: [], to: controlIds };
    await recordChange(scope, uow.orgId, actor, row, {
      kind: 'created',
      action: 'risk.created',
      changes,
    });
    await afterChange(scope, uow.orgId, controlIds);
    return loadRiskDetail(tx, row.id, today);
  });
}

const updatableFields = {
  title: 'title',
  description: 'description',
  category: 'category',
  ownerUserId: 'owner_user_id',
  inherentLikelihood: 'inherent_likelihood',
  inherentImpact: 'inherent_impact',
  treatment: 'treatment',
  treatmentPlan: 'treatment_plan',
  treatmentDueOn: 'treatment_due_on',
  treatmentCompletedOn: 'treatment_completed_on',
  residualLikelihood: 'residual_likelihood',
  residualImpact: 'residual_impact',
  reviewOn: 'review_on',
  status: 'status',
} as const satisfies Record<string, keyof repo.RiskRow>;

type UpdatableField = keyof typeof updatableFields;

/**
 * Change a risk; only fields whose value differs are written and kept in the history (long texts
 * as "changed" without their content, which the detail shows). Closing ends nothing else; a
 * closed risk may only be reopened. Turning away from "accept" leaves an approved acceptance to
 * run out on its own date.
 */
export async function updateRisk(
  uow: UnitOfWork,
  actor: RiskActor,
  id: string,
  input: z.output<typeof updateRiskSchema>,
  today = todayUtc(),
): Promise<RiskDetail> {
  return writeOrRead(uow, id, today, async (scope) => {
    const { tx } = scope;
    const row = await repo.findRisk(tx, id, true);
    if (!row) throw notFound();
    const changing = (Object.keys(updatableFields) as UpdatableField[]).filter(
      (f) => input[f] !== undefined && input[f] !== row[updatableFields[f]],
    );
    if (row.status === 'closed' && changing.some((f) => f !== 'status')) {
      if (input.status !== 'open') throw new AppError('risk.closed');
    }
    if (changing.includes('ownerUserId')) await checkOwner(tx, input.ownerUserId);
    const next = { ...row };
    const values: Partial<repo.RiskRow> = {};
    const changes: FieldChanges = {};
    for (const field of changing) {
      const column = updatableFields[field];
      const value = input[field];
      (values as Record<string, unknown>)[column] = value;
      (next as Record<string, unknown>)[column] = value;
      changes[field] =
        field === 'description' || field === 'treatmentPlan'
          ? { from: '(previous text)', to: '(new text)' }
          : { from: row[column], to: value };
    }
    checkResidualPair(next.residual_likelihood, next.residual_impact);
    if (row.status === 'accepted' && next.treatment !== 'accept' && next.status === 'accepted') {
      // A risk treated otherwise is no longer carried on an acceptance.
      values.status = 'open';
      changes.status = { from: row.status, to: 'open' };
      changing.push('status');
    }
    if (input.status === 'open' && row.status === 'accepted') {
      throw invalid([
        { path: 'status', message: 'An accepted risk reopens when its acceptance ends' },
      ]);
    }
    if (changing.length === 0) throw new NothingChanged();
    await repo.updateRisk(tx, id, values);
    await recordChange(scope, uow.orgId, actor, row, {
      kind: 'updated',
      action: 'risk.updated',
      changes,
      ...(input.note ? { note: input.note } : {}),
    });
    const controls = await repo.findRiskControls(tx, id);
    await afterChange(
      scope,
      uow.orgId,
      controls.map((c) => c.id),
    );
    return loadRiskDetail(tx, id, today);
  });
}

/** Link controls to a risk. */
export async function linkControls(
  uow: UnitOfWork,
  actor: RiskActor,
  id: string,
  controlIds: readonly string[],
  today = todayUtc(),
): Promise<RiskDetail> {
  return writeOrRead(uow, id, today, async (scope) => {
    const { tx } = scope;
    const row = await repo.findRisk(tx, id, true);
    if (!row) throw notFound();
    const ids = [...new Set(controlIds)];
    await checkControls(tx, ids);
    const before = (await repo.findRiskControls(tx, id)).map((c) => c.id);
    const added = await repo.linkControls(tx, uow.orgId, id, ids);
    if (added.length === 0) throw new NothingChanged();
    await recordChange(scope, uow.orgId, actor, row, {
      kind: 'controls_linked',
      action: 'risk.controls_linked',
      changes: { controlIds: { from: before, to: [...before, ...added] } },
    });
    await afterChange(scope, uow.orgId, added);
    return loadRiskDetail(tx, id, today);
  });
}

/** Unlink a control from a risk. */
export async function unlinkControl(
  uow: UnitOfWork,
  actor: RiskActor,
  id: string,
  controlId: string,
  today = todayUtc(),
): Promise<RiskDetail> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const row = await repo.findRisk(tx, id, true);
    if (!row) throw notFound();
    if (!(await repo.unlinkControl(tx, id, controlId))) {
      throw new AppError('request.invalid', 'This control is not linked to the risk', [
        { path: 'controlId', message: 'This control is not linked to the risk' },
      ]);
    }
    await recordChange(scope, uow.orgId, actor, row, {
      kind: 'control_unlinked',
      action: 'risk.control_unlinked',
      changes: { controlId: { from: controlId, to: null } },
    });
    await afterChange(scope, uow.orgId, [controlId]);
    return loadRiskDetail(tx, id, today);
  });
}

/**
 * Record a dated review of a risk, even when nothing changed: the next review moves on by the
 * register's cadence from today.
 */
export async function reviewRisk(
  uow: UnitOfWork,
  actor: RiskActor,
  id: string,
  note: string,
  today = todayUtc(),
): Promise<RiskDetail> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const row = await repo.findRisk(tx, id, true);
    if (!row) throw notFound();
    if (row.status === 'closed') throw new AppError('risk.closed');
    const cadence = await repo.findReviewCadence(tx);
    const reviewOn = addMonths(today, cadence);
    await repo.updateRisk(tx, id, { review_on: reviewOn, last_reviewed_on: today });
    await recordChange(scope, uow.orgId, actor, row, {
      kind: 'reviewed',
      action: 'risk.reviewed',
      changes: {
        lastReviewedOn: { from: row.last_reviewed_on, to: today },
        reviewOn: { from: row.review_on, to: reviewOn },
      },
      note,
    });
    await afterChange(scope, uow.orgId, []);
    return loadRiskDetail(tx, id, today);
  });
}

/** The register's settings. */
export async function getSettings(uow: UnitOfWork): Promise<z.infer<typeof riskSettingsSchema>> {
  return uow.read(async (tx) => ({ reviewCadenceMonths: await repo.findReviewCadence(tx) }));
}

/** Change the register's review cadence (later reviews move by it). */
export async function updateSettings(
  uow: UnitOfWork,
  input: z.output<typeof updateRiskSettingsSchema>,
): Promise<z.infer<typeof riskSettingsSchema>> {
  return uow.write(async ({ tx, audit }) => {
    const before = await repo.findReviewCadence(tx);
    await repo.upsertReviewCadence(tx, uow.orgId, input.reviewCadenceMonths);
    await audit({
      action: 'risk.settings_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { reviewCadenceMonths: { from: before, to: input.reviewCadenceMonths } },
    });
    return { reviewCadenceMonths: input.reviewCadenceMonths };
  });
}
