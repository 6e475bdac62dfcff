import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from './program-cache.ts';

/** Trend windows the dashboard offers, in days. */
export const trendWindows = [30, 90, 365] as const;

/** A trend window in days. */
export type TrendWindow = (typeof trendWindows)[number];

/** The readiness dashboard with a trend of `trendDays` days. */
export function dashboardQuery(trendDays: TrendWindow) {
  return queryOptions({
    queryKey: [programKey, 'dashboard', trendDays],
    queryFn: ({ signal }) => call(endpoints.getDashboard, { query: { trendDays }, signal }),
  });
}
