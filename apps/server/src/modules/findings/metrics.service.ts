import {
  ageBuckets,
  dueSoonDays,
  severities,
  type Severity,
  type VulnerabilityMetrics,
  type vulnerabilityMetricsQuerySchema,
} from '@steward/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { findSlaPolicy } from './sla-policy.repo.ts';
import { withinSlaWindowDays } from './vulnerability-checks.service.ts';

type Counts = Record<Severity, number>;

function emptyCounts(): Counts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

function isSeverity(value: string): value is Severity {
  return (severities as readonly string[]).includes(value);
}

// A duplicate (linked to another tool's finding of the same vulnerability) counts through its
// canonical finding, so one vulnerability is never counted twice.
const countedOnce = sql`f.canonical_id IS NULL`;

/** The vulnerabilities dashboard as of `now`, for the org or one asset. */
export async function getVulnerabilityMetrics(
  uow: UnitOfWork,
  query: z.output<typeof vulnerabilityMetricsQuerySchema>,
  now: Date = new Date(),
): Promise<VulnerabilityMetrics> {
  const asset = query.assetId === undefined ? sql`` : sql`AND f.asset_id = ${query.assetId}`;
  const soon = new Date(now.getTime() + dueSoonDays * 86_400_000);
  const monthsStart = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (query.months - 1), 1),
  );
  const windowStart = new Date(now.getTime() - withinSlaWindowDays * 86_400_000);
  return uow.read(async (tx) => {
    const policy = await findSlaPolicy(tx);
    const open = await sql<{
      severity: string;
      bucket: string;
      n: string;
      breached: string;
      due_soon: string;
      kev: string;
    }>`
      SELECT f.severity,
             CASE WHEN f.first_seen_at > ${now}::timestamptz - interval '8 days' THEN '0-7'
                  WHEN f.first_seen_at > ${now}::timestamptz - interval '31 days' THEN '8-30'
                  WHEN f.first_seen_at > ${now}::timestamptz - interval '91 days' THEN '31-90'
                  WHEN f.first_seen_at > ${now}::timestamptz - interval '181 days' THEN '91-180'
                  ELSE '181+' END AS bucket,
             count(*) AS n,
             count(*) FILTER (WHERE f.due_at < ${now}) AS breached,
             count(*) FILTER (WHERE f.due_at >= ${now} AND f.due_at < ${soon}) AS due_soon,
             count(*) FILTER (WHERE f.is_kev) AS kev
        FROM findings f
       WHERE f.state = 'open' AND ${countedOnce} ${asset}
       GROUP BY 1, 2`.execute(tx);
    const bySeverity = emptyCounts();
    const breaches = emptyCounts();
    const byAge = new Map(ageBuckets.map((bucket) => [bucket, emptyCounts()]));
    let dueSoon = 0;
    let kev = 0;
    for (const row of open.rows) {
      if (!isSeverity(row.severity)) continue;
      const n = Number(row.n);
      bySeverity[row.severity] += n;
      breaches[row.severity] += Number(row.breached);
      dueSoon += Number(row.due_soon);
      kev += Number(row.kev);
      const bucket = byAge.get(row.bucket as (typeof ageBuckets)[number]);
      if (bucket) bucket[row.severity] += n;
    }
    const mttr = await sql<{ month: string; severity: string; mean_days: string; n: string }>`
      SELECT to_char(date_trunc('month', f.fixed_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
             f.severity,
             avg(extract(epoch FROM f.fixed_at - f.first_seen_at)) / 86400 AS mean_days,
             count(*) AS n
        FROM findings f
       WHERE f.state = 'fixed' AND f.fixed_at >= ${monthsStart} AND ${countedOnce} ${asset}
       GROUP BY 1, 2
       ORDER BY 1, 2`.execute(tx);
    const within = await sql<{ remediated: string; within: string }>`
      SELECT count(*) AS remediated,
             count(*) FILTER (WHERE f.due_at IS NULL OR f.fixed_at <= f.due_at) AS within
        FROM findings f
       WHERE f.state = 'fixed' AND f.fixed_at >= ${windowStart} AND ${countedOnce} ${asset}`.execute(
      tx,
    );
    const acceptances = await sql<{ pending: string; approved: string }>`
      SELECT count(*) FILTER (WHERE r.status = 'pending') AS pending,
             count(*) FILTER (WHERE r.status = 'approved') AS approved
        FROM risk_acceptances r
        ${query.assetId === undefined ? sql`` : sql`JOIN findings f ON f.id = r.finding_id AND f.asset_id = ${query.assetId}`}
       WHERE r.status IN ('pending', 'approved')`.execute(tx);
    const remediated = Number(within.rows[0]?.remediated ?? 0);
    const withinCount = Number(within.rows[0]?.within ?? 0);
    const total = Object.values(bySeverity).reduce((a, b) => a + b, 0);
    return {
      generatedAt: now.toISOString(),
      open: {
        total,
        bySeverity,
        byAge: ageBuckets.map((bucket) => ({ bucket, counts: byAge.get(bucket) ?? emptyCounts() })),
        kev,
      },
      breaches: { total: Object.values(breaches).reduce((a, b) => a + b, 0), bySeverity: breaches },
      dueSoon,
      mttr: mttr.rows
        .filter((r) => isSeverity(r.severity))
        .map((r) => ({
          month: r.month,
          severity: r.severity as Severity,
          meanDays: Math.round(Number(r.mean_days) * 10) / 10,
          fixed: Number(r.n),
        })),
      withinSla: {
        windowDays: withinSlaWindowDays,
        remediated,
        withinSla: withinCount,
        percent: remediated === 0 ? null : Math.round((withinCount / remediated) * 1000) / 10,
        targetPercent: policy.withinSlaTargetPercent,
      },
      riskAcceptances: {
        pending: Number(acceptances.rows[0]?.pending ?? 0),
        approved: Number(acceptances.rows[0]?.approved ?? 0),
      },
    };
  });
}
