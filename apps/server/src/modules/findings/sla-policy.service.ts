import type { SlaPolicy, updateSlaPolicySchema } from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Importer } from './scan-import.service.ts';
import { findSlaPolicy, recomputeDueDates, upsertSlaPolicy } from './sla-policy.repo.ts';
import type { SlaRules } from './sla.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

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
