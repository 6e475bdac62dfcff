import { implementationStatuses } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../app/me-context.tsx';
import { dashboardQuery } from '../dashboard/dashboard-queries.ts';
import { usersQuery } from '../users/users-queries.ts';
import { allControlsQuery } from './controls-queries.ts';

/** An option of a select. */
export interface Option {
  value: string;
  label: string;
}

/** What each implementation status means, in words. */
export const implementationLabels: Record<(typeof implementationStatuses)[number], string> = {
  implemented: 'Implemented',
  partial: 'Partially implemented',
  planned: 'Planned',
  alternative: 'Alternative implementation',
  not_applicable: 'Not applicable',
};

/** Implementation statuses as select options. */
export const implementationOptions: Option[] = implementationStatuses.map((status) => ({
  value: status,
  label: implementationLabels[status],
}));

/** The 13 annex sections as options, titled from the dashboard when it has loaded. */
export function useSectionOptions(): Option[] {
  const dashboard = useQuery({ ...dashboardQuery(90), staleTime: 5 * 60_000 });
  const titles = new Map((dashboard.data?.bySection ?? []).map((s) => [s.section, s.title]));
  return Array.from({ length: 13 }, (_, index) => {
    const section = index + 1;
    const title = titles.get(section);
    return { value: String(section), label: title ? `${section}. ${title}` : `Section ${section}` };
  });
}

/** Active people of the organisation as owner options (empty without `users.read`). */
export function useOwnerOptions(): { options: Option[]; isLoading: boolean; canList: boolean } {
  const canList = useCan('users.read');
  const users = useQuery({ ...usersQuery, enabled: canList });
  const options = (users.data?.items ?? [])
    .filter((user) => user.status !== 'disabled')
    .map((user) => ({ value: user.id, label: `${user.name} (${user.email})` }));
  return { options, isLoading: canList && users.isPending, canList };
}

/** Every control as an option "REF · Title". */
export function useControlOptions(): { options: Option[]; isLoading: boolean } {
  const controls = useQuery(allControlsQuery);
  const options = (controls.data?.items ?? []).map((control) => ({
    value: control.id,
    label: `${control.ref} · ${control.title}`,
  }));
  return { options, isLoading: controls.isPending };
}
