import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** The org's security policy. */
export const securityPolicyQuery = queryOptions({
  queryKey: ['org', 'security-policy'],
  queryFn: ({ signal }) => call(endpoints.getSecurityPolicy, { signal }),
});

/** The org's SSO configuration (never the secret). */
export const ssoConfigQuery = queryOptions({
  queryKey: ['org', 'sso'],
  queryFn: ({ signal }) => call(endpoints.getSsoConfig, { signal }),
});
