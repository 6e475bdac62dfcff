import type { TrainingCategory } from '@steward/contracts';

/** How a category reads in the UI. */
export const categoryLabels: Record<TrainingCategory, string> = {
  awareness: 'Security awareness',
  secure_development: 'Secure development',
  other: 'Other',
};

/** A coverage figure as shown everywhere: percent and counts. */
export function formatCoverage(c: {
  percent: number;
  completed: number;
  audience: number;
}): string {
  return `${String(c.percent)}% (${String(c.completed)}/${String(c.audience)})`;
}
