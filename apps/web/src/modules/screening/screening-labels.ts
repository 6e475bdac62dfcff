import type { ScreeningApplicability, ScreeningStatus } from '@steward/contracts';

/** How each screening status reads and looks. */
export const screeningStatusLooks: Record<ScreeningStatus, { label: string; color: string }> = {
  not_started: { label: 'Not started', color: 'gray' },
  in_progress: { label: 'In progress', color: 'blue' },
  cleared: { label: 'Cleared', color: 'green' },
  adverse: { label: 'Adverse (handled by HR)', color: 'red' },
};

/** How each applicability reads and looks. */
export const applicabilityLooks: Record<ScreeningApplicability, { label: string; color: string }> =
  {
    applies: { label: 'Applies', color: 'indigo' },
    not_required: { label: 'Not required', color: 'gray' },
    not_permitted: { label: 'Not permitted', color: 'orange' },
  };

/** The quarter before the one containing this day, e.g. `2026-Q3` on 2026-11-27. */
export function previousQuarter(day: Date): string {
  const quarter = Math.floor(day.getUTCMonth() / 3);
  return quarter === 0
    ? `${String(day.getUTCFullYear() - 1)}-Q4`
    : `${String(day.getUTCFullYear())}-Q${String(quarter)}`;
}
