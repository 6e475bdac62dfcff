import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from '../dashboard/program-cache.ts';

/** Every framework with its readiness and mapping coverage. */
export const frameworksQuery = queryOptions({
  queryKey: [programKey, 'frameworks'],
  queryFn: ({ signal }) => call(endpoints.listFrameworks, { signal }),
});

/** One framework with its requirements and the controls mapped to them. */
export function frameworkQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'framework', id],
    queryFn: ({ signal }) => call(endpoints.getFramework, { params: { id }, signal }),
  });
}
