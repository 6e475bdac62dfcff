import { endpoints } from '@steward/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from '../dashboard/program-cache.ts';
import type { EvidenceSearch } from './evidence-filters.ts';

const pageSize = 50;

/** The evidence library matching the filters, newest first, page by page. */
export function evidenceLibraryQuery(filters: EvidenceSearch) {
  return infiniteQueryOptions({
    queryKey: [programKey, 'evidence-library', filters],
    queryFn: ({ pageParam, signal }) =>
      call(endpoints.listEvidence, {
        query: { ...filters, cursor: pageParam, limit: pageSize },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** Current evidence of one control (for picking what completes a task). */
export function controlEvidenceQuery(controlId: string) {
  return queryOptions({
    queryKey: [programKey, 'evidence-of-control', controlId],
    queryFn: ({ signal }) =>
      call(endpoints.listEvidence, { query: { controlId, limit: 100 }, signal }),
  });
}

/** One evidence item with every version of it. */
export function evidenceQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'evidence', id],
    queryFn: ({ signal }) => call(endpoints.getEvidence, { params: { id }, signal }),
  });
}
