import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** Every user of the organisation. */
export const usersQuery = queryOptions({
  queryKey: ['users'],
  queryFn: ({ signal }) => call(endpoints.listUsers, { signal }),
});

/** The built-in roles with their descriptions and permissions. */
export const rolesQuery = queryOptions({
  queryKey: ['roles'],
  queryFn: ({ signal }) => call(endpoints.listRoles, { signal }),
  staleTime: Infinity,
});
