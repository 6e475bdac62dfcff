import { endpoints, type QueryOf } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** Root key of every lifecycle view. */
export const lifecycleKey = 'lifecycle';

/** Filters of the checklist list. */
export type ChecklistFilters = QueryOf<typeof endpoints.listChecklists>;

/** One page of checklists. */
export function checklistsQuery(filters: ChecklistFilters) {
  return queryOptions({
    queryKey: [lifecycleKey, 'list', filters],
    queryFn: ({ signal }) => call(endpoints.listChecklists, { query: filters, signal }),
  });
}

/** One checklist with its items. */
export function checklistQuery(id: string) {
  return queryOptions({
    queryKey: [lifecycleKey, 'checklist', id],
    queryFn: ({ signal }) => call(endpoints.getChecklist, { params: { id }, signal }),
  });
}

/** Open and overdue checklists by kind. */
export const lifecycleSummaryQuery = queryOptions({
  queryKey: [lifecycleKey, 'summary'],
  queryFn: ({ signal }) => call(endpoints.getLifecycleSummary, { signal }),
});

/** The org's templates. */
export const lifecycleTemplatesQuery = queryOptions({
  queryKey: [lifecycleKey, 'templates'],
  queryFn: ({ signal }) => call(endpoints.listLifecycleTemplates, { signal }),
});

/** The org's deadlines. */
export const lifecycleSettingsQuery = queryOptions({
  queryKey: [lifecycleKey, 'settings'],
  queryFn: ({ signal }) => call(endpoints.getLifecycleSettings, { signal }),
});

/** Refresh every lifecycle view (and the people pages that show checklists). */
export async function invalidateLifecycle(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: [lifecycleKey] }),
    queryClient.invalidateQueries({ queryKey: ['people'] }),
    queryClient.invalidateQueries({ queryKey: ['program'] }),
  ]);
}

/** Labels of the lifecycle kinds. */
export const kindLabels = { joiner: 'Joiner', mover: 'Mover', leaver: 'Leaver' } as const;
