import { describe, expect, it } from 'vitest';
import { toIsoInstant } from './audit-log.repo.ts';

describe('toIsoInstant', () => {
  it('writes a UTC wall-clock time as Date#toISOString does', () => {
    const cases = [
      ['2026-11-27 10:24:00.123456', new Date(Date.UTC(2026, 10, 27, 10, 24, 0, 123))],
      ['2026-01-02 03:04:05.9', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 900))],
      ['2026-01-02 03:04:05.0005', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 0))],
      ['1999-12-31 23:59:59', new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 0))],
    ] as const;
    for (const [utc, date] of cases) expect(toIsoInstant(utc)).toBe(date.toISOString());
  });
});
