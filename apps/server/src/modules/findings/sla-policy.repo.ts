import type { SlaPolicy } from '@steward/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import { buildSlaDaysTable, defaultSlaRules, type SlaRules } from './sla.ts';

function severityDays(value: unknown): SlaRules['productionDays'] {
  const days: SlaRules['productionDays'] = {};
  if (typeof value !== 'object' || value === null) return days;
  for (const [key, n] of Object.entries(value)) {
    if (
      (key === 'critical' ||
        key === 'high' ||
        key === 'medium' ||
        key === 'low' ||
        key === 'info') &&
      typeof n === 'number'
    ) {
      days[key] = n;
    }
  }
  return days;
}

/** The org's SLA policy, or the defaults when it never changed them. */
export async function findSlaPolicy(tx: Tx): Promise<SlaPolicy> {
  const row = await tx.selectFrom('sla_policies').selectAll().executeTakeFirst();
  if (!row) return { ...defaultSlaRules, updatedAt: null };
  return {
    criticalDays: row.critical_days,
    highDays: row.high_days,
    mediumDays: row.medium_days,
    lowDays: row.low_days,
    infoDays: row.info_days,
    productionDays: severityDays(row.production_days),
    criticalAssetDays: severityDays(row.critical_asset_days),
    kevDays: row.kev_days,
    restartOnReopen: row.restart_on_reopen,
    withinSlaTargetPercent: Number(row.within_sla_target_percent),
    scanFreshnessDays: row.scan_freshness_days,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Store the org's SLA policy. */
export async function upsertSlaPolicy(tx: Tx, orgId: string, rules: SlaRules): Promise<void> {
  const values = {
    critical_days: rules.criticalDays,
    high_days: rules.highDays,
    medium_days: rules.mediumDays,
    low_days: rules.lowDays,
    info_days: rules.infoDays,
    production_days: JSON.stringify(rules.productionDays),
    critical_asset_days: JSON.stringify(rules.criticalAssetDays),
    kev_days: rules.kevDays,
    restart_on_reopen: rules.restartOnReopen,
    within_sla_target_percent: rules.withinSlaTargetPercent,
    scan_freshness_days: rules.scanFreshnessDays,
    updated_at: new Date(),
  };
  await tx
    .insertInto('sla_policies')
    .values({ org_id: orgId, ...values })
    .onConflict((oc) => oc.column('org_id').doUpdateSet(values))
    .execute();
}

/**
 * Recompute due dates (SLA clock start + the days the policy gives each finding) where they
 * differ, for the whole org or one asset; only findings whose date changes are written. Returns
 * how many changed.
 */
export async function recomputeDueDates(
  tx: Tx,
  rules: SlaRules,
  scope: { assetId?: string; findingIds?: readonly string[] } = {},
): Promise<number> {
  const table = JSON.stringify(buildSlaDaysTable(rules));
  const result = await sql`
    WITH sla AS (
      SELECT * FROM jsonb_to_recordset(${table}::jsonb)
        AS d(environment text, criticality text, severity text, is_kev boolean, days integer)
    )
    UPDATE findings f
       SET due_at = f.sla_started_at + d.days * interval '1 day', updated_at = now()
      FROM assets a, sla d
     WHERE a.id = f.asset_id AND d.environment = a.environment AND d.criticality = a.criticality
       AND d.severity = f.severity AND d.is_kev = f.is_kev
       AND f.due_at IS DISTINCT FROM f.sla_started_at + d.days * interval '1 day'
       ${scope.assetId === undefined ? sql`` : sql`AND f.asset_id = ${scope.assetId}`}
       ${scope.findingIds === undefined ? sql`` : sql`AND f.id = ANY (${scope.findingIds}::uuid[])`}`.execute(
    tx,
  );
  return Number(result.numAffectedRows ?? 0);
}
