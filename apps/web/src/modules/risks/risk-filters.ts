import {
  riskScoreBands,
  riskSortKeys,
  riskStatuses,
  riskTreatments,
  type QueryOf,
  type RiskScoreBand,
  type RiskStatus,
  type RiskTreatment,
  type endpoints,
} from '@steward/contracts';
import { z } from 'zod';

/** Filters and order of the register, as kept in the page's address. */
export interface RiskSearch {
  status?: RiskStatus;
  category?: string;
  ownerUserId?: string;
  treatment?: RiskTreatment;
  band?: RiskScoreBand;
  overdue?: boolean;
  heat?: 'inherent' | 'residual';
  likelihood?: number;
  impact?: number;
  q?: string;
  sort?: (typeof riskSortKeys)[number];
  order?: 'asc' | 'desc';
}

function pick<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function text(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined;
}

const rating = z.coerce.number().int().min(1).max(5);

/** Read the register's filters from the address, dropping anything malformed. */
export function parseRiskSearch(search: Record<string, unknown>): RiskSearch {
  const heat = pick(z.enum(['inherent', 'residual']), search.heat);
  const likelihood = pick(rating, search.likelihood);
  const impact = pick(rating, search.impact);
  // A heat-map cell is only a filter when the whole cell is given.
  const cell =
    heat !== undefined && likelihood !== undefined && impact !== undefined
      ? { heat, likelihood, impact }
      : {};
  const filters: RiskSearch = {
    status: pick(z.enum(riskStatuses), search.status),
    category: text(search.category, 100),
    ownerUserId: pick(z.uuid(), search.ownerUserId),
    treatment: pick(z.enum(riskTreatments), search.treatment),
    band: pick(z.enum(riskScoreBands), search.band),
    overdue: search.overdue === true || search.overdue === 'true' ? true : undefined,
    ...cell,
    q: text(search.q),
    sort: pick(z.enum(riskSortKeys), search.sort),
    order: pick(z.enum(['asc', 'desc']), search.order),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/** The list endpoint's query for the page's filters. */
export function toRiskQuery(search: RiskSearch): QueryOf<typeof endpoints.listRisks> {
  const { overdue, ...rest } = search;
  return { ...rest, ...(overdue ? { overdue: 'true' as const } : {}) };
}

/** Whether any filter (not just the order) is set. */
export function hasRiskFilters(search: RiskSearch): boolean {
  return Object.keys(search).some((key) => key !== 'sort' && key !== 'order');
}

/** Words for a likelihood rating. */
export const likelihoodLabels = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];

/** Words for an impact rating. */
export const impactLabels = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'];

/** Words for each score band. */
export const bandLabels: Record<RiskScoreBand, string> = {
  low: 'Low (1–4)',
  medium: 'Medium (5–9)',
  significant: 'Significant (10–14)',
  high: 'High (15–25)',
};

/** Mantine colour of each score band. */
export const bandColours: Record<RiskScoreBand, string> = {
  low: 'green',
  medium: 'yellow',
  significant: 'orange',
  high: 'red',
};

/** The band of a likelihood × impact score (low 1–4, medium 5–9, significant 10–14, high 15+). */
export function bandOfScore(score: number): RiskScoreBand {
  if (score >= 15) return 'high';
  if (score >= 10) return 'significant';
  if (score >= 5) return 'medium';
  return 'low';
}

/** The accessible name of a heat-map cell. */
export function describeHeatCell(likelihood: number, impact: number, count: number): string {
  const risks = count === 1 ? '1 risk' : `${String(count)} risks`;
  return `Likelihood ${String(likelihood)} (${likelihoodLabels[likelihood - 1] ?? ''}), impact ${String(
    impact,
  )} (${impactLabels[impact - 1] ?? ''}): ${risks}`;
}
