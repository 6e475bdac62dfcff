import type { Severity, SlaPolicy, updateSlaPolicySchema } from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import type { Importer } from './scan-import.service.ts';
import { findSlaPolicy, recomputeDueDates, upsertSlaPolicy } from './sla-policy.repo.ts';
import { computeSlaDays, type SlaRules, type SlaSubject } from './sla.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

/** The columns of a stored finding (joined with its asset) that decide its deadline. */
export interface StoredSlaSubject {
  severity: string;
  environment: string;
  criticality: string;
  is_kev: boolean;
}

/** What of a stored finding and its asset decides its deadline. */
export function toSlaSubject(row: StoredSlaSubject): SlaSubject {
  return {
    severity: row.severity as Severity,
    environment: row.environment,
    criticality: row.criticality,
    isKev: row.is_kev,
  };
}

/**
 * The days of the fresh SLA clock a finding being reopened gets when the policy restarts clocks
 * on reopening; undefined when it does not (the old clock keeps running).
 */
export async function findReopenClockDays(
  tx: Tx,
  finding: StoredSlaSubject,
): Promise<number | null | undefined> {
  const policy = await findSlaPolicy(tx);
  return policy.restartOnReopen ? computeSlaDays(policy, toSlaSubject(finding)) : undefined;
}

/** The org's remediation SLA policy (the defaults until changed). */
export async function getSlaPolicy(uow: UnitOfWork): Promise<SlaPolicy> {
  return uow.read((tx) => findSlaPolicy(tx));
}

/**
 * Change the SLA policy; only the fields given change. Due dates of every finding are recomputed
 * from their SLA clock start in the same transaction, and the checks fed by them re-evaluated.
 */
export async function updateSlaPolicy(
  uow: UnitOfWork,
  person: Importer,
  input: z.output<typeof updateSlaPolicySchema>,
): Promise<SlaPolicy> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const before = await findSlaPolicy(tx);
    const current: SlaRules = {
      criticalDays: before.criticalDays,
      highDays: before.highDays,
      mediumDays: before.mediumDays,
      lowDays: before.lowDays,
      infoDays: before.infoDays,
      productionDays: before.productionDays,
      criticalAssetDays: before.criticalAssetDays,
      kevDays: before.kevDays,
      restartOnReopen: before.restartOnReopen,
      withinSlaTargetPercent: before.withinSlaTargetPercent,
      scanFreshnessDays: before.scanFreshnessDays,
    };
    const next: SlaRules = { ...current };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(input) as [keyof SlaRules, unknown][]) {
      if (value === undefined) continue;
      if (JSON.stringify(current[key]) !== JSON.stringify(value)) {
        changes[key] = { from: current[key], to: value };
      }
      Object.assign(next, { [key]: value });
    }
    await upsertSlaPolicy(tx, uow.orgId, next);
    const dueDatesChanged = await recomputeDueDates(tx, next);
    await scope.audit({
      action: 'sla.policy_updated',
      targetType: 'sla_policy',
      targetId: uow.orgId,
      changes: { ...changes, dueDatesChanged },
    });
    await recordVulnerabilityChecks(scope, uow.orgId, person);
    return findSlaPolicy(tx);
  });
}
