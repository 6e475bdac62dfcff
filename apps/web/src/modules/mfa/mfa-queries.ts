import { endpoints } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** The signed-in person's second factors. */
export const mfaStatusQuery = queryOptions({
  queryKey: ['mfa-status'],
  queryFn: ({ signal }) => call(endpoints.getMfaStatus, { signal }),
});
