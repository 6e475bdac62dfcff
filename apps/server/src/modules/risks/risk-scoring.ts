import type { RiskScoreBand } from '@steward/contracts';

/** Score at or above which a risk counts as high (the management review's "open high risks"). */
export const highRiskScore = 15;

/** Likelihood × impact, each rated 1 to 5. */
export function scoreOf(likelihood: number, impact: number): number {
  return likelihood * impact;
}

/** A risk's ratings as the register stores them. */
export interface RiskRatings {
  inherentLikelihood: number;
  inherentImpact: number;
  residualLikelihood: number | null;
  residualImpact: number | null;
}

/** The residual score when both residual ratings are set, else null. */
export function residualScoreOf(r: RiskRatings): number | null {
  return r.residualLikelihood === null || r.residualImpact === null
    ? null
    : scoreOf(r.residualLikelihood, r.residualImpact);
}

/** The score that counts today: the residual one once rated, else the inherent one. */
export function currentScoreOf(r: RiskRatings): number {
  return residualScoreOf(r) ?? scoreOf(r.inherentLikelihood, r.inherentImpact);
}

/** The bounds of each score band, inclusive. */
export const scoreBands: Record<RiskScoreBand, { min: number; max: number }> = {
  low: { min: 1, max: 4 },
  medium: { min: 5, max: 9 },
  significant: { min: 10, max: 14 },
  high: { min: highRiskScore, max: 25 },
};

/** The band a score falls in. */
export function bandOf(score: number): RiskScoreBand {
  if (score >= scoreBands.high.min) return 'high';
  if (score >= scoreBands.significant.min) return 'significant';
  if (score >= scoreBands.medium.min) return 'medium';
  return 'low';
}

/** A 5×5 grid of counts, indexed [likelihood - 1][impact - 1]. */
export type HeatGrid = number[][];

function emptyGrid(): HeatGrid {
  return Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
}

function increment(grid: HeatGrid, likelihood: number, impact: number): void {
  const row = grid[likelihood - 1];
  if (row === undefined || impact < 1 || impact > 5) return;
  row[impact - 1] = (row[impact - 1] ?? 0) + 1;
}

/**
 * Count risks per cell, once by inherent ratings and once by residual ones. A risk without
 * residual ratings sits in the residual grid at its inherent cell: nothing has reduced it yet.
 */
export function buildHeatMap(risks: readonly RiskRatings[]): {
  inherent: HeatGrid;
  residual: HeatGrid;
  unrated: number;
} {
  const inherent = emptyGrid();
  const residual = emptyGrid();
  let unrated = 0;
  for (const r of risks) {
    increment(inherent, r.inherentLikelihood, r.inherentImpact);
    if (r.residualLikelihood === null || r.residualImpact === null) {
      unrated++;
      increment(residual, r.inherentLikelihood, r.inherentImpact);
    } else {
      increment(residual, r.residualLikelihood, r.residualImpact);
    }
  }
  return { inherent, residual, unrated };
}
