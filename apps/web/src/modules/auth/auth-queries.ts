import { endpoints } from '@steward/contracts';
import type { Me } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { call, clearCsrfToken, isApiErrorCode } from '../../lib/api-client.ts';

/** Whether first-run setup has happened; it only changes through this app's own setup form. */
export const setupStatusQuery = queryOptions({
  queryKey: ['setup-status'],
  queryFn: ({ signal }) => call(endpoints.setupStatus, { signal }),
  staleTime: Infinity,
});

async function fetchMe(signal: AbortSignal): Promise<Me | null> {
  try {
    return await call(endpoints.me, { signal });
  } catch (error) {
    if (isApiErrorCode(error, 'auth.unauthenticated')) return null;
    throw error;
  }
}

/** The signed-in identity, or null when nobody is signed in. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: ({ signal }) => fetchMe(signal),
  staleTime: 30_000,
});

const sessionKeys = new Set(['me', 'setup-status']);

function removeUserData(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => !sessionKeys.has(String(query.queryKey[0])),
  });
}

/** Record a fresh identity (after sign-in or setup) and drop data cached for anyone else. */
export function startSession(queryClient: QueryClient, me: Me): void {
  removeUserData(queryClient);
  queryClient.setQueryData(meQuery.queryKey, me);
}

/** Forget the identity and everything fetched with it. */
export function endSession(queryClient: QueryClient): void {
  clearCsrfToken();
  queryClient.setQueryData(meQuery.queryKey, null);
  removeUserData(queryClient);
}
