import { describe, expect, it } from 'vitest';
import { previousQuarter } from './screening-labels.ts';

describe('previousQuarter', () => {
  it('gives the quarter before, across a year end', () => {
    expect(previousQuarter(new Date('2026-11-27T00:00:00Z'))).toBe('2026-Q3');
    expect(previousQuarter(new Date('2026-02-01T00:00:00Z'))).toBe('2025-Q4');
    expect(previousQuarter(new Date('2026-04-01T00:00:00Z'))).toBe('2026-Q1');
  });
});
