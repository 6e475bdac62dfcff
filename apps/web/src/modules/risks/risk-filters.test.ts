import { describe, expect, it } from 'vitest';
import {
  bandOfScore,
  describeHeatCell,
  hasRiskFilters,
  parseRiskSearch,
  toRiskQuery,
} from './risk-filters.ts';

describe('register filters in the address', () => {
  it('keeps valid filters and drops malformed ones', () => {
    expect(
      parseRiskSearch({
        status: 'open',
        band: 'extreme',
        treatment: 'accept',
        ownerUserId: 'nope',
        q: '  laptop ',
        sort: 'reviewOn',
        order: 'sideways',
        overdue: 'true',
      }),
    ).toEqual({
      status: 'open',
      treatment: 'accept',
      q: 'laptop',
      sort: 'reviewOn',
      overdue: true,
    });
  });

  it('takes a heat-map cell only when whole and in range', () => {
    expect(parseRiskSearch({ heat: 'residual', likelihood: '4', impact: 5 })).toEqual({
      heat: 'residual',
      likelihood: 4,
      impact: 5,
    });
    expect(parseRiskSearch({ heat: 'residual', likelihood: 4 })).toEqual({});
    expect(parseRiskSearch({ heat: 'inherent', likelihood: 6, impact: 1 })).toEqual({});
  });

  it('turns the filters into the list query', () => {
    expect(toRiskQuery({ overdue: true, band: 'high' })).toEqual({ overdue: 'true', band: 'high' });
    expect(toRiskQuery({ sort: 'score' })).toEqual({ sort: 'score' });
    expect(hasRiskFilters({ sort: 'score', order: 'asc' })).toBe(false);
    expect(hasRiskFilters({ category: 'People' })).toBe(true);
  });
});

describe('heat-map wording', () => {
  it('names each cell with its ratings and count', () => {
    expect(describeHeatCell(4, 5, 2)).toBe('Likelihood 4 (Likely), impact 5 (Severe): 2 risks');
    expect(describeHeatCell(1, 1, 1)).toBe('Likelihood 1 (Rare), impact 1 (Negligible): 1 risk');
  });

  it('bands scores like the server', () => {
    expect([1, 4, 5, 9, 10, 14, 15, 25].map(bandOfScore)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'significant',
      'significant',
      'high',
      'high',
    ]);
  });
});
