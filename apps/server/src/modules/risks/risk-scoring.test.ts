import { describe, expect, it } from 'vitest';
import {
  bandOf,
  buildHeatMap,
  currentScoreOf,
  highRiskScore,
  residualScoreOf,
  scoreBands,
  scoreOf,
} from './risk-scoring.ts';

const risk = (
  inherentLikelihood: number,
  inherentImpact: number,
  residualLikelihood: number | null = null,
  residualImpact: number | null = null,
) => ({ inherentLikelihood, inherentImpact, residualLikelihood, residualImpact });

describe('risk scores', () => {
  it('multiplies likelihood by impact', () => {
    expect(scoreOf(1, 1)).toBe(1);
    expect(scoreOf(3, 4)).toBe(12);
    expect(scoreOf(5, 5)).toBe(25);
  });

  it('counts the residual score only once both residual ratings are set', () => {
    expect(residualScoreOf(risk(4, 5))).toBeNull();
    expect(residualScoreOf(risk(4, 5, 2, null))).toBeNull();
    expect(residualScoreOf(risk(4, 5, 2, 3))).toBe(6);
    expect(currentScoreOf(risk(4, 5))).toBe(20);
    expect(currentScoreOf(risk(4, 5, 2, null))).toBe(20);
    expect(currentScoreOf(risk(4, 5, 2, 3))).toBe(6);
    // A residual rating above the inherent one still counts: the register shows what was rated.
    expect(currentScoreOf(risk(1, 1, 2, 2))).toBe(4);
  });

  it('bands cover every score from 1 to 25 without gaps or overlaps', () => {
    for (let score = 1; score <= 25; score++) {
      const band = bandOf(score);
      expect(score).toBeGreaterThanOrEqual(scoreBands[band].min);
      expect(score).toBeLessThanOrEqual(scoreBands[band].max);
    }
    expect(bandOf(4)).toBe('low');
    expect(bandOf(5)).toBe('medium');
    expect(bandOf(9)).toBe('medium');
    expect(bandOf(10)).toBe('significant');
    expect(bandOf(14)).toBe('significant');
    expect(bandOf(highRiskScore)).toBe('high');
    expect(bandOf(25)).toBe('high');
  });
});

describe('heat map', () => {
  it('counts each risk once per map, indexed by likelihood then impact', () => {
    const map = buildHeatMap([risk(4, 5, 2, 3), risk(4, 5), risk(1, 2, 1, 1), risk(5, 1)]);
    expect(map.inherent[3]?.[4]).toBe(2);
    expect(map.inherent[0]?.[1]).toBe(1);
    expect(map.inherent[4]?.[0]).toBe(1);
    expect(map.residual[1]?.[2]).toBe(1);
    expect(map.residual[0]?.[0]).toBe(1);
    expect(map.unrated).toBe(2);
    const total = (grid: number[][]) => grid.flat().reduce((a, b) => a + b, 0);
    expect(total(map.inherent)).toBe(4);
    expect(total(map.residual)).toBe(4);
  });

  it('places a risk without residual ratings at its inherent cell on the residual map', () => {
    const map = buildHeatMap([risk(3, 3), risk(3, 3, 3, null)]);
    expect(map.residual[2]?.[2]).toBe(2);
    expect(map.unrated).toBe(2);
  });

  it('is an empty 5×5 grid for an empty register and ignores ratings out of range', () => {
    const map = buildHeatMap([risk(0, 6)]);
    expect(map.inherent).toHaveLength(5);
    for (const row of [...map.inherent, ...map.residual]) expect(row).toEqual([0, 0, 0, 0, 0]);
  });
});
