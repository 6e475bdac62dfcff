import type {
  requestRiskRegisterAcceptanceSchema,
  riskRegisterAcceptanceSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addMonths, refreshControlStatuses, todayUtc } from '../controls/index.ts';
import { recordRiskChecks } from './risk-checks.service.ts';
import * as repo from './risks.repo.ts';
import {
  acceptanceUserIds,
  recordChange,
  toAcceptance,
  type FieldChanges,
  type RiskActor,
} from './risks.service.ts';

type Acceptance = z.infer<typeof riskRegisterAcceptanceSchema>;

/** Longest an acceptance may last, in months from its request. */
export const maxAcceptanceMonths = 12;

async function loadAcceptance(tx: Tx, id: string): Promise<Acceptance> {
  const row = await repo.findAcceptance(tx, id);
  if (!row) throw new AppError('risk_acceptance.not_found');
  const users = await repo.findUsers(tx, acceptanceUserIds([row]));
  return toAcceptance(row, users);
}

function checkExpiry(expiresOn: string, today: string): void {
  const latest = addMonths(today, maxAcceptanceMonths);
  if (expiresOn <= today || expiresOn > latest) {
    throw new AppError(
      'risk_acceptance.expiry_invalid',
      `The expiry must be after today and no later than ${latest}`,
      [{ path: 'expiresOn', message: `Choose a date after today and no later than ${latest}` }],
    );
  }
}

/** Acceptances of the register, newest first. */
export async function listAcceptances(
  uow: UnitOfWork,
  status: Acceptance['status'] | undefined,
): Promise<Acceptance[]> {
  return uow.read(async (tx) => {
    const rows = await repo.findAcceptances(tx, status === undefined ? {} : { status });
    const users = await repo.findUsers(tx, acceptanceUserIds(rows));
    return rows.map((r) => toAcceptance(r, users));
  });
}

/** Ask an executive to accept a risk until an expiry at most a year away. */
export async function requestAcceptance(
  uow: UnitOfWork,
  actor: RiskActor & { userId: string },
  riskId: string,
  input: z.output<typeof requestRiskRegisterAcceptanceSchema>,
  today = todayUtc(),
): Promise<Acceptance> {
  checkExpiry(input.expiresOn, today);
  return uow.write(async (scope) => {
    const { tx } = scope;
    const risk = await repo.findRisk(tx, riskId, true);
    if (!risk) throw new AppError('risk.not_found');
    if (risk.status === 'closed') throw new AppError('risk.closed');
    const pending = await repo.findAcceptances(tx, { riskId, status: 'pending' });
    if (pending.length > 0) throw new AppError('risk.acceptance_pending');
    const id = await repo.insertAcceptance(tx, {
      orgId: uow.orgId,
      riskId,
      requestedByUserId: actor.userId,
      justification: input.justification,
      expiresOn: input.expiresOn,
    });
    await recordChange(scope, uow.orgId, actor, risk, {
      kind: 'acceptance_requested',
      action: 'risk.acceptance_requested',
      changes: {},
      note: input.justification,
      extra: { acceptanceId: id, expiresOn: input.expiresOn },
    });
    return loadAcceptance(tx, id);
  });
}

/**
 * Approve or reject a pending request. The decider holds the executive permission (checked by
 * the route) and is never the requester. An approval accepts the risk until the expiry and
 * replaces any earlier approval of it.
 */
export async function decideAcceptance(
  uow: UnitOfWork,
  actor: RiskActor & { userId: string },
  id: string,
  decision: 'approved' | 'rejected',
  note: string,
  today = todayUtc(),
): Promise<Acceptance> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const found = await repo.findAcceptance(tx, id);
    if (!found) throw new AppError('risk_acceptance.not_found');
    const risk = await repo.findRisk(tx, found.risk_id, true);
    const row = await repo.findAcceptance(tx, id, true);
    if (!risk || !row) throw new AppError('risk_acceptance.not_found');
    if (row.status !== 'pending') throw new AppError('risk_acceptance.not_pending');
    if (row.requested_by_user_id === actor.userId) {
      throw new AppError('risk_acceptance.self_approval');
    }
    if (decision === 'approved') {
      if (risk.status === 'closed') throw new AppError('risk.closed');
      checkExpiry(row.expires_on, today);
    }
    await repo.decideAcceptance(tx, id, { status: decision, decidedByUserId: actor.userId, note });
    const changes: FieldChanges = {};
    if (decision === 'approved') {
      await repo.expireOtherApprovals(tx, risk.id, id);
      if (risk.status !== 'accepted') changes.status = { from: risk.status, to: 'accepted' };
      if (risk.treatment !== 'accept') changes.treatment = { from: risk.treatment, to: 'accept' };
      await repo.updateRisk(tx, risk.id, { status: 'accepted', treatment: 'accept' });
    }
    await recordChange(scope, uow.orgId, actor, risk, {
      kind: decision === 'approved' ? 'acceptance_approved' : 'acceptance_rejected',
      action: 'risk.acceptance_decided',
      changes,
      note,
      extra: { acceptanceId: id, decision, expiresOn: row.expires_on },
    });
    await recordRiskChecks(scope, uow.orgId);
    const controls = await repo.findRiskControls(tx, risk.id);
    if (controls.length > 0) {
      await refreshControlStatuses(
        scope,
        uow.orgId,
        controls.map((c) => c.id),
      );
    }
    return loadAcceptance(tx, id);
  });
}

/**
 * End approvals past their expiry: each is marked expired and its risk, if still accepted,
 * reopens. Returns how many ended.
 */
export async function expireAcceptances(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  today: string,
): Promise<number> {
  const lapsed = await repo.findLapsedApprovals(scope.tx, today);
  const actor: RiskActor = { userId: null, label: 'risks.daily' };
  let ended = 0;
  for (const found of lapsed) {
    // Risk first, then its acceptance: the order a decision takes its locks in.
    const risk = await repo.findRisk(scope.tx, found.risk_id, true);
    const acceptance = await repo.findAcceptance(scope.tx, found.id, true);
    if (!risk || acceptance?.status !== 'approved' || acceptance.expires_on >= today) continue;
    ended++;
    await repo.markExpired(scope.tx, acceptance.id);
    const changes: FieldChanges = {};
    if (risk.status === 'accepted') {
      await repo.updateRisk(scope.tx, risk.id, { status: 'open' });
      changes.status = { from: 'accepted', to: 'open' };
    }
    await recordChange(scope, orgId, actor, risk, {
      kind: 'acceptance_expired',
      action: 'risk.acceptance_expired',
      changes,
      note: `The acceptance expired on ${acceptance.expires_on}`,
      extra: { acceptanceId: acceptance.id, expiresOn: acceptance.expires_on },
    });
  }
  return ended;
}
