/** The tab of the tasks page, kept in the address. */
export interface TasksSearch {
  tab?: 'mine' | 'all';
}

/** Read the tasks page's tab from the address. */
export function parseTasksSearch(search: Record<string, unknown>): TasksSearch {
  return search.tab === 'mine' || search.tab === 'all' ? { tab: search.tab } : {};
}
