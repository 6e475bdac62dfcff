import { describe, expect, it } from 'vitest';
import { parseFindingSearch } from './finding-filters.ts';

describe('parseFindingSearch', () => {
  it('keeps valid filters and trims the text', () => {
    expect(
      parseFindingSearch({
        assetId: '0b6f3c52-8d1e-4a3b-9f2e-1c2d3e4f5a6b',
        severity: 'critical',
        state: 'open',
        sla: 'breached',
        tool: ' trivy ',
        q: ' CVE-2021-44906 ',
      }),
    ).toEqual({
      assetId: '0b6f3c52-8d1e-4a3b-9f2e-1c2d3e4f5a6b',
      severity: 'critical',
      state: 'open',
      sla: 'breached',
      tool: 'trivy',
      q: 'CVE-2021-44906',
    });
  });

  it('drops malformed and empty values', () => {
    expect(
      parseFindingSearch({ assetId: 'nope', severity: 'urgent', state: '', sla: 'none', q: '  ' }),
    ).toEqual({});
  });
});
