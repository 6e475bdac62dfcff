import { describe, expect, it } from 'vitest';
import { parseControlFilters } from './control-filters.ts';

describe('parseControlFilters', () => {
  it('keeps valid filters from the address', () => {
    expect(
      parseControlFilters({
        status: 'failing',
        section: '3',
        ownerId: '0e93cca9-9ee3-4a82-b84d-7ad56aa511e6',
        q: '  backups ',
        asOf: '2026-10-01',
      }),
    ).toEqual({
      status: 'failing',
      section: 3,
      ownerId: '0e93cca9-9ee3-4a82-b84d-7ad56aa511e6',
      q: 'backups',
      asOf: '2026-10-01',
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
      }),
    ).toEqual({});
  });
});
