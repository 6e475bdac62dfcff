import { endpoints, roleDescriptions, rolePermissions, roles } from '@steward/contracts';
import type { ApiToken } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** The caller's own API tokens. */
export const tokensQuery = queryOptions({
  queryKey: ['tokens'],
  queryFn: ({ signal }) => call(endpoints.listTokens, { signal }),
});

/** The built-in roles from the contracts, so token creation works without `users.read`. */
export const tokenRoleCatalogue = roles.map((role) => ({
  role,
  description: roleDescriptions[role],
  permissions: [...rolePermissions[role]],
}));

/** Whether a token can still be used, and if not, why. */
export type TokenState = 'active' | 'expired' | 'revoked';

/** The state of a token at the given instant. */
export function getTokenState(token: ApiToken, now: number): TokenState {
  if (token.revokedAt) return 'revoked';
  return new Date(token.expiresAt).getTime() <= now ? 'expired' : 'active';
}
