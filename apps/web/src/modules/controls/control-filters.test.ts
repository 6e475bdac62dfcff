import { describe, expect, it } from 'vitest';
import { exportFiltersOf, parseControlFilters } from './control-filters.ts';

describe('parseControlFilters', () => {
  it('keeps valid filters from the address', () => {
    expect(
      parseControlFilters({
        status: 'failing',
        section: '3',
        ownerId: '0e93cca9-9ee3-4a82-b84d-7ad56aa511e6',
        q: '  backups ',
        asOf: '2026-10-01',
        sort: 'title',
        order: 'desc',
        limit: '100',
      }),
    ).toEqual({
      status: 'failing',
      section: 3,
      ownerId: '0e93cca9-9ee3-4a82-b84d-7ad56aa511e6',
      q: 'backups',
      asOf: '2026-10-01',
      sort: 'title',
      order: 'desc',
      limit: 100,
    });
  });

  it('drops malformed and empty values instead of failing the page', () => {
    expect(
      parseControlFilters({
        status: 'green',
        section: '14',
        frameworkId: 'x',
        q: '  ',
        asOf: '2026-13-40',
        sort: 'colour',
        order: 'up',
        limit: '7',
      }),
    ).toEqual({});
  });

  it('keeps only the filters for the CSV export', () => {
    expect(
      exportFiltersOf({ status: 'due', sort: 'status', order: 'asc', limit: 25, q: 'keys' }),
    ).toEqual({ status: 'due', q: 'keys' });
  });
});
