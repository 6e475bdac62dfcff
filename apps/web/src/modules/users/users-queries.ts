import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** Every user of the organisation. */
export const usersQuery = queryOptions({
  queryKey: ['users'],
  queryFn: ({ signal }) => call(endpoints.listUsers, { signal }),
});

/** Invitations not accepted yet (needs `users.manage`). */
export const invitationsQuery = queryOptions({
  queryKey: ['invitations'],
  queryFn: ({ signal }) => call(endpoints.listInvitations, { signal }),
});

/** The built-in roles with their descriptions and permissions. */
export const rolesQuery = queryOptions({
  queryKey: ['roles'],
  queryFn: ({ signal }) => call(endpoints.listRoles, { signal }),
  staleTime: Infinity,
});

/** MFA and sign-in lock state of every user (needs `users.read`). */
export const userSecurityQuery = queryOptions({
  queryKey: ['users', 'security'],
  queryFn: ({ signal }) => call(endpoints.listUserSecurity, { signal }),
});
