import { Badge } from '@mantine/core';
import type { RiskAcceptance } from '@steward/contracts';

const looks: Record<RiskAcceptance['status'], { label: string; color: string }> = {
  pending: { label: 'Pending', color: 'yellow' },
  approved: { label: 'Approved', color: 'green' },
  rejected: { label: 'Rejected', color: 'red' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'gray' },
};

/** The status of a risk acceptance as a badge. */
export function RiskAcceptanceStatusBadge({ status }: { status: RiskAcceptance['status'] }) {
  const look = looks[status];
  return (
    <Badge color={look.color} variant="light">
      {look.label}
    </Badge>
  );
}
