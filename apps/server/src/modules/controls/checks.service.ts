import type {
  ControlStatus,
  checkResultSchema,
  checkSchema,
  createCheckSchema,
  recordCheckResultSchema,
} from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { todayUtc } from './control-status.ts';
import * as checksRepo from './checks.repo.ts';
import * as repo from './controls.repo.ts';
import { refreshControlStatuses } from './status-refresh.ts';

/** An automated check with the controls it proves. */
export type Check = z.infer<typeof checkSchema>;

/** A recorded check result. */
export type CheckResult = z.infer<typeof checkResultSchema>;

/** Who reports a result: it is kept as the supplier of the evidence. */
export interface Supplier {
  userId: string | null;
  label: string;
}

function toCheck(
  row: checksRepo.CheckRow,
  controls: { id: string; ref: string; title: string; status: string }[],
): Check {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    latestStatus: row.latest_status,
    latestSummary: row.latest_summary,
    latestObservedAt: row.latest_observed_at?.toISOString() ?? null,
    controls: controls.map((c) => ({ ...c, status: c.status as ControlStatus })),
  };
}

/** Every check of the org with its latest result and the controls it proves. */
export async function listChecks(uow: UnitOfWork): Promise<Check[]> {
  return uow.read(async (tx) => {
    const [rows, controls] = await Promise.all([
      checksRepo.findChecks(tx),
      checksRepo.findCheckControls(tx),
    ]);
    return rows.map((row) => toCheck(row, controls.get(row.id) ?? []));
  });
}

function keyTaken(key: string): AppError {
  return new AppError('check.key_taken', `Another check already has the key ${key}`, [
    { path: 'key', message: 'Another check already has this key' },
  ]);
}

/** Declare a check and the controls it proves (they are not proved until it reports). */
export async function createCheck(
  uow: UnitOfWork,
  input: z.output<typeof createCheckSchema>,
): Promise<Check> {
  const controlIds = [...new Set(input.controlIds)];
  try {
    return await uow.write(async (scope) => {
      const { tx, audit } = scope;
      if (await checksRepo.findCheckByKey(tx, input.key)) throw keyTaken(input.key);
      const found = await repo.findControlIds(tx, controlIds);
      const missing = controlIds.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw new AppError('request.invalid', `No such control: ${missing.join(', ')}`, [
          { path: 'controlIds', message: `No such control: ${missing.join(', ')}` },
        ]);
      }
      const row = await checksRepo.insertCheck(tx, {
        orgId: uow.orgId,
        key: input.key,
        name: input.name,
        description: input.description,
      });
      await repo.insertControlChecks(
        tx,
        uow.orgId,
        controlIds.map((controlId) => ({ controlId, checkId: row.id })),
      );
      await audit({
        action: 'check.created',
        targetType: 'check',
        targetId: row.id,
        changes: { key: input.key, name: input.name, controlIds },
      });
      await refreshControlStatuses(scope, uow.orgId, controlIds);
      const controls = await checksRepo.findCheckControls(tx, [row.id]);
      return toCheck(row, controls.get(row.id) ?? []);
    });
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'checks_org_id_key_key') throw keyTaken(input.key);
    throw error;
  }
}

/** The part of an audited write a check result is recorded in. */
export type CheckScope = Pick<WriteScope, 'tx' | 'audit'>;

/**
 * Record a check result: it becomes the check's latest (unless a later one is already known),
 * is kept as evidence of the check's controls for the day it was observed, and their status is
 * recomputed.
 */
export async function recordCheckResult(
  uow: UnitOfWork,
  supplier: Supplier,
  key: string,
  input: z.output<typeof recordCheckResultSchema>,
): Promise<CheckResult> {
  return uow.write(async (scope) => {
    const result = await recordCheckResultIn(scope, uow.orgId, supplier, key, input);
    if (!result) throw new AppError('check.not_found', `No check with the key "${key}"`);
    return result;
  });
}

/**
 * Record a check result inside another module's audited write (e.g. after a scan import), as
 * `recordCheckResult` does. Returns null, recording nothing, when the org has no check with this
 * key, or — with `onlyIfChanged` — when the check's latest result has the same status and summary
 * and was observed the same UTC day (a re-run that learned nothing adds no evidence).
 */
export async function recordCheckResultIn(
  scope: CheckScope,
  orgId: string,
  supplier: Supplier,
  key: string,
  input: z.output<typeof recordCheckResultSchema>,
  options: { onlyIfChanged?: boolean } = {},
): Promise<CheckResult | null> {
  const observedAt = input.observedAt === undefined ? new Date() : new Date(input.observedAt);
  const { tx, audit } = scope;
  const check = await checksRepo.findCheckByKey(tx, key);
  if (!check) return null;
  if (
    options.onlyIfChanged &&
    check.latest_status === input.status &&
    check.latest_summary === input.summary &&
    check.latest_observed_at !== null &&
    todayUtc(check.latest_observed_at) === todayUtc(observedAt)
  ) {
    return null;
  }
  const controlIds = await checksRepo.findCheckControlIds(tx, check.id);
  const result = await checksRepo.insertCheckResult(tx, {
    orgId,
    checkId: check.id,
    status: input.status,
    summary: input.summary,
    details: input.details,
    observedAt,
  });
  const isLatest = await checksRepo.updateLatestResult(tx, check.id, {
    status: input.status,
    summary: input.summary,
    observedAt,
  });
  const evidenceId = randomUUID();
  const suffix = `: ${input.status}`;
  await checksRepo.insertCheckEvidence(tx, {
    id: evidenceId,
    orgId,
    title: `${check.name.slice(0, 300 - suffix.length)}${suffix}`,
    description: input.summary,
    checkResultId: result.id,
    collectedAt: observedAt,
    day: todayUtc(observedAt),
    suppliedByUserId: supplier.userId,
    suppliedBy: supplier.label,
    controlIds,
  });
  await audit({
    action: 'check.result_recorded',
    targetType: 'check',
    targetId: check.id,
    changes: {
      key,
      status: input.status,
      observedAt: observedAt.toISOString(),
      resultId: result.id,
      evidenceId,
      isLatest,
    },
  });
  await refreshControlStatuses(scope, orgId, controlIds);
  return {
    id: result.id,
    checkKey: check.key,
    status: input.status,
    summary: input.summary,
    observedAt: observedAt.toISOString(),
    evidenceId,
  };
}
