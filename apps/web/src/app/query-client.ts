import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isApiErrorCode } from '../lib/api-client.ts';
import { endSession, meQuery } from '../modules/auth/auth-queries.ts';

function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** The query client, which ends the local session whenever the server says it has expired. */
export function createQueryClient(): QueryClient {
  const handleError = (error: unknown): void => {
    if (isApiErrorCode(error, 'auth.unauthenticated')) endSession(queryClient);
    // A refused CSRF token means ours is stale; fetching the identity again renews it.
    if (isApiErrorCode(error, 'request.csrf_failed')) {
      void queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
