import { endpoints } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { invalidateProgram, programKey } from '../dashboard/program-cache.ts';
import { toRiskQuery, type RiskSearch } from './risk-filters.ts';

/** The register, filtered and sorted as the page's address says. */
export function risksQuery(search: RiskSearch) {
  return queryOptions({
    queryKey: [programKey, 'risks', search],
    queryFn: ({ signal }) => call(endpoints.listRisks, { query: toRiskQuery(search), signal }),
  });
}

/** The heat map of risks not closed. */
export const riskHeatMapQuery = queryOptions({
  queryKey: [programKey, 'risks', 'heat-map'],
  queryFn: ({ signal }) => call(endpoints.getRiskHeatMap, { signal }),
});

/** One risk with its controls, acceptances and history. */
export function riskQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'risk', id],
    queryFn: ({ signal }) => call(endpoints.getRisk, { params: { id }, signal }),
  });
}

/** Acceptance requests waiting for an executive. */
export const pendingRiskAcceptancesQuery = queryOptions({
  queryKey: [programKey, 'risks', 'acceptances', 'pending'],
  queryFn: ({ signal }) =>
    call(endpoints.listRiskRegisterAcceptances, { query: { status: 'pending' }, signal }),
});

/** The register's settings. */
export const riskSettingsQuery = queryOptions({
  queryKey: [programKey, 'risks', 'settings'],
  queryFn: ({ signal }) => call(endpoints.getRiskSettings, { signal }),
});

/** Register reviews and yearly assessments. */
export const registerReviewsQuery = queryOptions({
  queryKey: [programKey, 'risks', 'register-reviews'],
  queryFn: ({ signal }) => call(endpoints.listRiskRegisterReviews, { signal }),
});

/** Refresh the register and the program views its checks move. */
export function invalidateRisks(queryClient: QueryClient): Promise<void> {
  return invalidateProgram(queryClient);
}
