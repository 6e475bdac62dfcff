import type { QueryClient } from '@tanstack/react-query';

/** The first element of every program query key, so one change can refresh them all. */
export const programKey = 'program';

/**
 * Refresh every program view after a change: a piece of evidence or a completed task moves the
 * status of controls, and with it readiness, promises, frameworks and the dashboard.
 */
export function invalidateProgram(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: [programKey] });
}
