import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from '../dashboard/program-cache.ts';
import type { ControlFilters } from './control-filters.ts';

/** Controls matching the filters (each with its status as of `asOf` when given). */
export function controlsQuery(filters: ControlFilters = {}) {
  return queryOptions({
    queryKey: [programKey, 'controls', filters],
    queryFn: ({ signal }) => call(endpoints.listControls, { query: filters, signal }),
  });
}

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
