import { endpoints } from '@steward/contracts';
import type { taskStates } from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { programKey } from '../dashboard/program-cache.ts';

/** Filters of the task list. */
export interface TaskFilters {
  mine?: boolean;
  state?: (typeof taskStates)[number];
  controlId?: string;
}

/** Recurring evidence tasks matching the filters. */
export function tasksQuery(filters: TaskFilters = {}) {
  return queryOptions({
    queryKey: [programKey, 'tasks', filters],
    queryFn: ({ signal }) =>
      call(endpoints.listTasks, {
        query: {
          mine: filters.mine ? 'true' : undefined,
          state: filters.state,
          controlId: filters.controlId,
        },
        signal,
      }),
  });
}

/** One task with its completions. */
export function taskQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'task', id],
    queryFn: ({ signal }) => call(endpoints.getTask, { params: { id }, signal }),
  });
}
