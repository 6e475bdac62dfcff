import { endpoints } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { invalidateProgram, programKey } from '../dashboard/program-cache.ts';

/** Reviews with the cadence overview, optionally by status. */
export function managementReviewsQuery(status: 'draft' | 'held' | undefined) {
  return queryOptions({
    queryKey: [programKey, 'management-reviews', status ?? 'all'],
    queryFn: ({ signal }) =>
      call(endpoints.listManagementReviews, { query: status ? { status } : {}, signal }),
  });
}

/** One review with its record. */
export function managementReviewQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'management-review', id],
    queryFn: ({ signal }) => call(endpoints.getManagementReview, { params: { id }, signal }),
  });
}

/** The review cadence. */
export const managementReviewSettingsQuery = queryOptions({
  queryKey: [programKey, 'management-review-settings'],
  queryFn: ({ signal }) => call(endpoints.getManagementReviewSettings, { signal }),
});

/** Refresh reviews and the program views a held review moves. */
export function invalidateReviews(queryClient: QueryClient): Promise<void> {
  return invalidateProgram(queryClient);
}

/** The signed-in user's open action items from held management reviews. */
export const myReviewActionsQuery = queryOptions({
  queryKey: ['me', 'management-review-actions'],
  queryFn: ({ signal }) => call(endpoints.listMyReviewActions, { signal }),
});
