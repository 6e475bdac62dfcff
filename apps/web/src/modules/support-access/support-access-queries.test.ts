import { describe, expect, it } from 'vitest';
import { formatMinutes, formatRemaining } from './support-access-queries.ts';

describe('support access time formats', () => {
  it('counts down to the end of a window', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(formatRemaining('2026-11-27T11:05:09Z', now)).toBe('1 h 05 min 09 s');
    expect(formatRemaining('2026-11-27T10:00:42Z', now)).toBe('0 min 42 s');
    expect(formatRemaining('2026-11-27T09:59:59Z', now)).toBeNull();
  });

  it('names durations', () => {
    expect(formatMinutes(240)).toBe('4 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(45)).toBe('45 min');
  });
});
