import { endpoints, maxControlPageSize } from '@steward/contracts';
import type { Control } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from '../dashboard/program-cache.ts';
import type { ControlFilters } from './control-filters.ts';

/**
 * One page of the controls matching the filters (each with its status as of `asOf` when given):
 * the first page, or the page after `cursor`.
 */
export function controlsQuery(filters: ControlFilters = {}, cursor?: string) {
  return queryOptions({
    queryKey: [programKey, 'controls', filters, cursor ?? null],
    queryFn: ({ signal }) =>
      call(endpoints.listControls, {
        query: { ...filters, ...(cursor === undefined ? {} : { cursor }) },
        signal,
      }),
  });
}

/** Every live control, read page by page (largest pages), for pickers. */
export const allControlsQuery = queryOptions({
  queryKey: [programKey, 'controls', 'all'],
  queryFn: async ({ signal }) => {
    const items: Control[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Control[]; nextCursor: string | null } = await call(
        endpoints.listControls,
        {
          query: { limit: maxControlPageSize, ...(cursor === null ? {} : { cursor }) },
          signal,
        },
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return { items };
  },
});

/** One control with its requirements, proofs, evidence, promises and history. */
export function controlQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'control', id],
    queryFn: ({ signal }) => call(endpoints.getControl, { params: { id }, signal }),
  });
}

/** Every automated check with its latest result. */
export const checksQuery = queryOptions({
  queryKey: [programKey, 'checks'],
  queryFn: ({ signal }) => call(endpoints.listChecks, { signal }),
});
