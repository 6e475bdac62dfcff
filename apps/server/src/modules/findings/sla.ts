import {
  assetCriticalities,
  assetEnvironments,
  dueSoonDays,
  severities,
  type Severity,
  type SlaPolicy,
} from '@steward/contracts';

/** The policy values the deadlines are computed from. */
export type SlaRules = Omit<SlaPolicy, 'updatedAt'>;

/** The policy of an organisation that never changed it. */
export const defaultSlaRules: SlaRules = {
  criticalDays: 7,
  highDays: 30,
  mediumDays: 90,
  lowDays: 180,
  infoDays: null,
  productionDays: {},
  criticalAssetDays: {},
  kevDays: null,
  restartOnReopen: false,
  withinSlaTargetPercent: 95,
  scanFreshnessDays: 7,
};

/** What of a finding and its asset decides its deadline. */
export interface SlaSubject {
  severity: Severity;
  environment: string;
  criticality: string;
  isKev: boolean;
}

const dayMs = 86_400_000;

function severityDays(rules: SlaRules, severity: Severity): number | null {
  switch (severity) {
    case 'critical':
      return rules.criticalDays;
    case 'high':
      return rules.highDays;
    case 'medium':
      return rules.mediumDays;
    case 'low':
      return rules.lowDays;
    case 'info':
      return rules.infoDays;
  }
}

/**
 * Days to remediate a finding: the shortest of its severity's days and the shorter deadlines that
 * apply (production asset, critical asset, known exploited). Null when none applies (info by
 * default): no deadline.
 */
export function computeSlaDays(rules: SlaRules, subject: SlaSubject): number | null {
  const candidates = [
    severityDays(rules, subject.severity),
    subject.environment === 'production' ? rules.productionDays[subject.severity] : undefined,
    subject.criticality === 'critical' ? rules.criticalAssetDays[subject.severity] : undefined,
    subject.isKev ? rules.kevDays : undefined,
  ].filter((days): days is number => typeof days === 'number');
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** The deadline of a clock started at `start`, or null without a deadline. */
export function computeDueAt(start: Date, days: number | null): Date | null {
  return days === null ? null : new Date(start.getTime() + days * dayMs);
}

/** Where a finding stands against its deadline at `now`. */
export function slaStatusOf(
  state: string,
  dueAt: Date | null,
  now: Date,
): 'breached' | 'due_soon' | 'within' | 'none' {
  if (state !== 'open' || dueAt === null) return 'none';
  if (dueAt.getTime() < now.getTime()) return 'breached';
  if (dueAt.getTime() < now.getTime() + dueSoonDays * dayMs) return 'due_soon';
  return 'within';
}

/** One row of the deadline table: days for a combination of asset, severity and KEV. */
export interface SlaDaysRow {
  environment: string;
  criticality: string;
  severity: Severity;
  is_kev: boolean;
  days: number | null;
}

/**
 * Days for every combination of environment, criticality, severity and KEV (120 rows), so SQL
 * can compute due dates of many findings at once by joining this table.
 */
export function buildSlaDaysTable(
  rules: SlaRules,
  asset?: { environment: string; criticality: string },
): SlaDaysRow[] {
  const environments = asset ? [asset.environment] : assetEnvironments;
  const criticalities = asset ? [asset.criticality] : assetCriticalities;
  const rows: SlaDaysRow[] = [];
  for (const environment of environments) {
    for (const criticality of criticalities) {
      for (const severity of severities) {
        for (const isKev of [false, true]) {
          rows.push({
            environment,
            criticality,
            severity,
            is_kev: isKev,
            days: computeSlaDays(rules, { severity, environment, criticality, isKev }),
          });
        }
      }
    }
  }
  return rows;
}
