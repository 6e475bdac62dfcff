import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { recordCheckResultIn, todayUtc } from '../controls/index.ts';
import * as repo from './risks.repo.ts';

/** Check keys the register reports (declared by the default controls). */
export const riskCheckKeys = {
  acceptancesCurrent: 'risks.acceptances_current',
  treatmentsOnTrack: 'risks.treatments_on_track',
} as const;

/** One check's conclusion. */
export interface RiskCheckOutcome {
  status: 'pass' | 'fail';
  summary: string;
  details: Record<string, unknown>;
}

function refs(list: readonly { ref: string }[]): string {
  const shown = list.slice(0, 8).map((r) => r.ref);
  return shown.join(', ') + (list.length > 8 ? ` and ${String(list.length - 8)} more` : '');
}

/** Whether any accepted risk's acceptance has run out without a new one or another treatment. */
export async function evaluateAcceptancesCurrent(tx: Tx, today: string): Promise<RiskCheckOutcome> {
  const lapsed = await repo.findLapsedAcceptedRisks(tx, today);
  if (lapsed.length > 0) {
    return {
      status: 'fail',
      summary: `Risk acceptance expired: ${refs(lapsed)}. Renew the acceptance or treat the risk`,
      details: { lapsed: lapsed.map((r) => ({ ref: r.ref, expiredOn: r.expires_on })) },
    };
  }
  const accepted = (await repo.countByStatus(tx)).get('accepted') ?? 0;
  return {
    status: 'pass',
    summary:
      accepted === 0
        ? 'No risk is carried on an acceptance'
        : `All ${String(accepted)} accepted risks are within their acceptance's expiry`,
    details: { accepted },
  };
}

/**
 * Whether every live risk's treatment action is within its due date and every live risk was
 * reviewed by its review date; an empty register proves nothing.
 */
export async function evaluateTreatmentsOnTrack(tx: Tx, today: string): Promise<RiskCheckOutcome> {
  const live = await repo.findLiveRisks(tx);
  if (live.length === 0) {
    return {
      status: 'fail',
      summary: 'The risk register holds no open risk; assess and record the risks first',
      details: { risks: 0 },
    };
  }
  const lateTreatments = live.filter(
    (r) =>
      r.treatment !== 'accept' &&
      r.treatment_due_on !== null &&
      r.treatment_completed_on === null &&
      r.treatment_due_on < today,
  );
  const lateReviews = live.filter((r) => r.review_on < today);
  if (lateTreatments.length === 0 && lateReviews.length === 0) {
    return {
      status: 'pass',
      summary: `All ${String(live.length)} open risks are reviewed on time with treatments on schedule`,
      details: { risks: live.length },
    };
  }
  const parts = [
    ...(lateTreatments.length > 0 ? [`treatment overdue: ${refs(lateTreatments)}`] : []),
    ...(lateReviews.length > 0 ? [`review overdue: ${refs(lateReviews)}`] : []),
  ];
  const text = parts.join('; ');
  return {
    status: 'fail',
    summary: text.charAt(0).toUpperCase() + text.slice(1),
    details: {
      treatmentOverdue: lateTreatments.map((r) => ({ ref: r.ref, due: r.treatment_due_on })),
      reviewOverdue: lateReviews.map((r) => ({ ref: r.ref, due: r.review_on })),
    },
  };
}

/**
 * Record both register checks (when the org declared them) in the caller's write; a result equal
 * to today's latest is not recorded again. Control statuses follow through the controls module.
 */
export async function recordRiskChecks(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const today = todayUtc(now);
  const supplier = { userId: null, label: 'Steward risk register' };
  const observedAt = now.toISOString();
  const acceptances = await evaluateAcceptancesCurrent(scope.tx, today);
  await recordCheckResultIn(
    scope,
    orgId,
    supplier,
    riskCheckKeys.acceptancesCurrent,
    { ...acceptances, observedAt },
    { onlyIfChanged: true },
  );
  const treatments = await evaluateTreatmentsOnTrack(scope.tx, today);
  await recordCheckResultIn(
    scope,
    orgId,
    supplier,
    riskCheckKeys.treatmentsOnTrack,
    { ...treatments, observedAt },
    { onlyIfChanged: true },
  );
}
