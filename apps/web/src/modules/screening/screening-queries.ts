import { endpoints, type QueryOf } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';

/** Screening records live under their own key: only HR may load them. */
export const screeningKey = 'screening';

/** Screening per person with coverage. */
export function screeningQuery(query: QueryOf<typeof endpoints.listScreening>) {
  return queryOptions({
    queryKey: [screeningKey, 'people', query],
    queryFn: ({ signal }) => call(endpoints.listScreening, { query, signal }),
  });
}

/** The org's screening rules. */
export const screeningSettingsQuery = queryOptions({
  queryKey: [screeningKey, 'settings'],
  queryFn: ({ signal }) => call(endpoints.getScreeningSettings, { signal }),
});

/** The quarterly audits. */
export const screeningAuditsQuery = queryOptions({
  queryKey: [screeningKey, 'audits'],
  queryFn: ({ signal }) => call(endpoints.listScreeningAudits, { signal }),
});

/** Refresh screening views and the program views the screening check moves. */
export async function invalidateScreening(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: [screeningKey] }),
    invalidateProgram(queryClient),
  ]);
}
