import { describe, expect, it } from 'vitest';
import { addDaysToDay, formatBytes, formatPercent, todayUtcDay } from './format.ts';

describe('program formatting', () => {
  it('moves calendar days across month and year ends', () => {
    expect(addDaysToDay('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToDay('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('takes today in UTC', () => {
    expect(todayUtcDay(new Date('2026-11-27T23:30:00-05:00'))).toBe('2026-11-28');
  });

  it('writes sizes and percentages as people read them', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
    expect(formatPercent(50)).toBe('50%');
    expect(formatPercent(33.33)).toBe('33.3%');
  });
});
