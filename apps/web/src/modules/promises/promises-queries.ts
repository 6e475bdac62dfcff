import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from '../dashboard/program-cache.ts';

/** Every annex with how its promises stand. */
export const annexesQuery = queryOptions({
  queryKey: [programKey, 'annexes'],
  queryFn: ({ signal }) => call(endpoints.listAnnexes, { signal }),
});

/** One annex with each promise, its status, controls and suggestions. */
export function annexQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'annex', id],
    queryFn: ({ signal }) => call(endpoints.getAnnex, { params: { id }, signal }),
  });
}
