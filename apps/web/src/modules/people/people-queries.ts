import { endpoints, type QueryOf } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** Root key of every people view. */
export const peopleKey = 'people';

/** Filters of the people list. */
export type PeopleFilters = QueryOf<typeof endpoints.listPeople>;

/** One page of the directory. */
export function peopleQuery(filters: PeopleFilters) {
  return queryOptions({
    queryKey: [peopleKey, 'list', filters],
    queryFn: ({ signal }) => call(endpoints.listPeople, { query: filters, signal }),
  });
}

/** One person with their change history and groups. */
export function personQuery(id: string) {
  return queryOptions({
    queryKey: [peopleKey, 'person', id],
    queryFn: ({ signal }) => call(endpoints.getPerson, { params: { id }, signal }),
  });
}

/** A person's checklists and accounts. */
export function personLifecycleQuery(id: string) {
  return queryOptions({
    queryKey: [peopleKey, 'person-lifecycle', id],
    queryFn: ({ signal }) => call(endpoints.getPersonLifecycle, { params: { id }, signal }),
  });
}

/** SCIM tokens of the identity provider connections. */
export const scimTokensQuery = queryOptions({
  queryKey: [peopleKey, 'scim-tokens'],
  queryFn: ({ signal }) => call(endpoints.listScimTokens, { signal }),
});

/** Refresh every people and lifecycle view after a change. */
export async function invalidatePeople(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: [peopleKey] }),
    queryClient.invalidateQueries({ queryKey: ['lifecycle'] }),
  ]);
}
