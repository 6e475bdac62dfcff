import {
  maxRiskAcceptanceDays,
  type RiskAcceptance,
  type Severity,
  type decideRiskAcceptanceSchema,
  type requestRiskAcceptanceSchema,
  type riskAcceptanceQuerySchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addDays, todayUtc } from '../controls/index.ts';
import { canTransition } from './finding-states.ts';
import * as findingsRepo from './findings.repo.ts';
import * as repo from './risk-acceptances.repo.ts';
import type { Importer } from './scan-import.service.ts';
import { findSlaPolicy } from './sla-policy.repo.ts';
import { toSlaSubject } from './sla-policy.service.ts';
import { computeSlaDays } from './sla.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

type Person = Importer;

/** A risk acceptance as the API shows it. */
export function toRiskAcceptance(row: repo.RiskAcceptanceRow): RiskAcceptance {
  return {
    id: row.id,
    findingId: row.finding_id,
    findingTitle: row.finding_title,
    findingSeverity: row.finding_severity as Severity,
    assetName: row.asset_name,
    requestedBy: { userId: row.requested_by_user_id, label: row.requested_by },
    justification: row.justification,
    expiresOn: row.expires_on,
    status: row.status,
    decidedBy:
      row.decided_at === null
        ? null
        : { userId: row.decided_by_user_id, label: row.decided_by_name ?? 'unknown' },
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    createdAt: row.created_at.toISOString(),
  };
}

async function readAcceptance(
  tx: Parameters<typeof repo.findRiskAcceptance>[0],
  id: string,
): Promise<RiskAcceptance> {
  const row = await repo.findRiskAcceptance(tx, id);
  if (!row) throw new AppError('risk_acceptance.not_found');
  return toRiskAcceptance(row);
}

/** Risk acceptances, newest first. */
export async function listRiskAcceptances(
  uow: UnitOfWork,
  query: z.output<typeof riskAcceptanceQuerySchema>,
): Promise<{ items: RiskAcceptance[] }> {
  return uow.read(async (tx) => ({
    items: (await repo.findRiskAcceptances(tx, query, query.limit)).map(toRiskAcceptance),
  }));
}

/**
 * Ask to accept the risk of an open finding until a day after today and at most a year away.
 * The finding stays open (and counts against its SLA) until someone else approves.
 */
export async function requestRiskAcceptance(
  uow: UnitOfWork,
  person: Person,
  findingId: string,
  input: z.output<typeof requestRiskAcceptanceSchema>,
  now: Date = new Date(),
): Promise<RiskAcceptance> {
  const today = todayUtc(now);
  const latest = addDays(today, maxRiskAcceptanceDays);
  if (input.expiresOn <= today || input.expiresOn > latest) {
    throw new AppError(
      'risk_acceptance.expiry_invalid',
      `Choose an expiry after ${today} and no later than ${latest}`,
      [{ path: 'expiresOn', message: `after ${today}, at most ${latest}` }],
    );
  }
  return uow.write(async (scope) => {
    const { tx } = scope;
    const finding = await findingsRepo.findFinding(tx, findingId, { forUpdate: true });
    if (!finding) throw new AppError('finding.not_found');
    if (finding.state !== 'open') {
      throw new AppError(
        'risk_acceptance.finding_not_open',
        `The finding is ${finding.state.replace('_', ' ')}; only an open finding can have its risk accepted`,
      );
    }
    if (await repo.hasCurrentAcceptance(tx, findingId)) {
      throw new AppError('risk_acceptance.already_requested');
    }
    const id = await repo.insertRiskAcceptance(tx, {
      orgId: uow.orgId,
      findingId,
      requestedByUserId: person.userId,
      requestedBy: person.label,
      justification: input.justification,
      expiresOn: input.expiresOn,
      now,
    });
    await findingsRepo.insertFindingEvent(tx, {
      orgId: uow.orgId,
      findingId,
      at: now,
      actor: person.label,
      actorUserId: person.userId,
      kind: 'risk_acceptance_requested',
      fromState: null,
      toState: null,
      reason: `until ${input.expiresOn}: ${input.justification}`.slice(0, 2000),
    });
    await scope.audit({
      action: 'finding.risk_acceptance_requested',
      targetType: 'risk_acceptance',
      targetId: id,
      changes: {
        findingId,
        title: finding.title,
        severity: finding.severity,
        expiresOn: input.expiresOn,
        justification: input.justification,
      },
    });
    return readAcceptance(tx, id);
  });
}

/**
 * Approve or reject a pending request. Whoever asked cannot decide (the database refuses it as
 * well). An approval moves the finding to risk accepted, out of the SLA breach list.
 */
export async function decideRiskAcceptance(
  uow: UnitOfWork,
  person: Person,
  id: string,
  input: z.output<typeof decideRiskAcceptanceSchema>,
  now: Date = new Date(),
): Promise<RiskAcceptance> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const acceptance = await repo.findRiskAcceptance(tx, id, { forUpdate: true });
    if (!acceptance) throw new AppError('risk_acceptance.not_found');
    if (acceptance.status !== 'pending') {
      throw new AppError(
        'risk_acceptance.not_pending',
        `This request was already ${acceptance.status}`,
      );
    }
    if (
      acceptance.requested_by_user_id !== null &&
      acceptance.requested_by_user_id === person.userId
    ) {
      throw new AppError('risk_acceptance.self_approval');
    }
    const finding = await findingsRepo.findFinding(tx, acceptance.finding_id, { forUpdate: true });
    if (!finding) throw new AppError('finding.not_found');
    const isApproval = input.decision === 'approve';
    if (isApproval && !canTransition(finding.state as 'open', 'risk_accepted', 'acceptance')) {
      throw new AppError(
        'risk_acceptance.finding_not_open',
        `The finding is ${finding.state.replace('_', ' ')} now; reject this request instead`,
      );
    }
    await repo.updateRiskAcceptanceStatus(tx, id, {
      status: isApproval ? 'approved' : 'rejected',
      decidedByUserId: person.userId,
      decidedAt: now,
      note: input.note ?? null,
    });
    if (isApproval) {
      const reason = `risk accepted until ${acceptance.expires_on}: ${acceptance.justification}`;
      await findingsRepo.updateFindingState(tx, finding.id, {
        to: 'risk_accepted',
        reason: reason.slice(0, 2000),
        now,
      });
      await findingsRepo.insertFindingEvent(tx, {
        orgId: uow.orgId,
        findingId: finding.id,
        at: now,
        actor: person.label,
        actorUserId: person.userId,
        kind: 'risk_accepted',
        fromState: 'open',
        toState: 'risk_accepted',
        reason: reason.slice(0, 2000),
      });
    } else {
      await findingsRepo.insertFindingEvent(tx, {
        orgId: uow.orgId,
        findingId: finding.id,
        at: now,
        actor: person.label,
        actorUserId: person.userId,
        kind: 'risk_acceptance_rejected',
        fromState: null,
        toState: null,
        reason: input.note ?? null,
      });
    }
    await scope.audit({
      action: 'finding.risk_acceptance_decided',
      targetType: 'risk_acceptance',
      targetId: id,
      changes: {
        decision: input.decision,
        findingId: finding.id,
        requestedBy: acceptance.requested_by,
        expiresOn: acceptance.expires_on,
        ...(input.note !== undefined ? { note: input.note } : {}),
      },
    });
    await recordVulnerabilityChecks(scope, uow.orgId, person, now);
    return readAcceptance(tx, id);
  });
}

/**
 * Expire the org's approved acceptances whose last day has passed: each finding still risk
 * accepted reopens with a fresh SLA clock. Returns how many expired (0 writes nothing).
 */
export async function expireRiskAcceptances(
  uow: UnitOfWork,
  now: Date = new Date(),
): Promise<number> {
  const today = todayUtc(now);
  const due = await uow.read((tx) => repo.findExpiredAcceptances(tx, today));
  if (due.length === 0) return 0;
  return uow.write(async (scope) => {
    const { tx } = scope;
    const expired = await repo.findExpiredAcceptances(tx, today);
    if (expired.length === 0) {
      // Another run expired them in between; its events tell the story, this one records that.
      await scope.audit({
        action: 'finding.risk_acceptance_expired',
        targetType: 'risk_acceptance',
        targetId: null,
        changes: { expired: 0 },
      });
      return 0;
    }
    const policy = await findSlaPolicy(tx);
    for (const acceptance of expired) {
      await repo.updateRiskAcceptanceStatus(tx, acceptance.id, { status: 'expired' });
      const finding = await findingsRepo.findFinding(tx, acceptance.finding_id, {
        forUpdate: true,
      });
      const isReopened =
        finding !== undefined && canTransition(finding.state as 'risk_accepted', 'open', 'expiry');
      if (finding && isReopened) {
        const reason = `the risk acceptance expired on ${acceptance.expires_on}`;
        await findingsRepo.updateFindingState(tx, finding.id, {
          to: 'open',
          reason,
          now,
          restartClockDays: computeSlaDays(policy, toSlaSubject(finding)),
        });
        await findingsRepo.insertFindingEvent(tx, {
          orgId: uow.orgId,
          findingId: finding.id,
          at: now,
          actor: 'findings.expire-risk-acceptances',
          actorUserId: null,
          kind: 'risk_acceptance_expired',
          fromState: 'risk_accepted',
          toState: 'open',
          reason,
        });
      }
      await scope.audit({
        action: 'finding.risk_acceptance_expired',
        targetType: 'risk_acceptance',
        targetId: acceptance.id,
        changes: {
          findingId: acceptance.finding_id,
          expiresOn: acceptance.expires_on,
          isFindingReopened: isReopened,
        },
      });
    }
    await recordVulnerabilityChecks(
      scope,
      uow.orgId,
      { userId: null, label: 'findings.expire-risk-acceptances' },
      now,
    );
    return expired.length;
  });
}
