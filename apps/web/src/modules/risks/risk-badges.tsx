import { Badge } from '@mantine/core';
import type { RiskScoreBand, RiskStatus } from '@steward/contracts';
import { bandColours } from './risk-filters.ts';

const statusLooks: Record<RiskStatus, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  accepted: { label: 'Accepted', color: 'grape' },
  closed: { label: 'Closed', color: 'gray' },
};

/** Labels of the risk statuses. */
export const riskStatusLabels: Record<RiskStatus, string> = {
  open: statusLooks.open.label,
  accepted: statusLooks.accepted.label,
  closed: statusLooks.closed.label,
};

/** A risk's status. */
export function RiskStatusBadge({ status }: { status: RiskStatus }) {
  const look = statusLooks[status];
  return (
    <Badge color={look.color} variant="light">
      {look.label}
    </Badge>
  );
}

/** A score with its band's colour. */
export function ScoreBadge({ score, band }: { score: number; band: RiskScoreBand }) {
  return (
    <Badge
      color={bandColours[band]}
      variant="filled"
      aria-label={`Score ${String(score)}, ${band}`}
    >
      {score}
    </Badge>
  );
}
