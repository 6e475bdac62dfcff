import { Badge } from '@mantine/core';
import type { BadgeProps } from '@mantine/core';
import type { Finding, FindingState, Severity } from '@steward/contracts';

interface BadgeLook {
  label: string;
  color: string;
}

/** How each severity reads and looks, worst first. */
export const severityLooks: Record<Severity, BadgeLook> = {
  critical: { label: 'Critical', color: 'red' },
  high: { label: 'High', color: 'orange' },
  medium: { label: 'Medium', color: 'yellow' },
  low: { label: 'Low', color: 'blue' },
  info: { label: 'Info', color: 'gray' },
};

/** How each finding state reads and looks. */
export const findingStateLooks: Record<FindingState, BadgeLook> = {
  open: { label: 'Open', color: 'red' },
  risk_accepted: { label: 'Risk accepted', color: 'grape' },
  false_positive: { label: 'False positive', color: 'gray' },
  not_affected: { label: 'Not affected', color: 'teal' },
  fixed: { label: 'Fixed', color: 'green' },
};

/** How each SLA status reads and looks. */
export const slaStatusLooks: Record<Finding['slaStatus'], BadgeLook> = {
  breached: { label: 'SLA breached', color: 'red' },
  due_soon: { label: 'Due soon', color: 'yellow' },
  within: { label: 'Within SLA', color: 'green' },
  none: { label: 'No deadline', color: 'gray' },
};

type SizeProp = Pick<BadgeProps, 'size'>;

/** A finding's severity as a coloured badge. */
export function SeverityBadge({ severity, size }: { severity: Severity } & SizeProp) {
  const look = severityLooks[severity];
  return (
    <Badge color={look.color} variant="filled" size={size}>
      {look.label}
    </Badge>
  );
}

/** A finding's lifecycle state as a badge. */
export function FindingStateBadge({ state, size }: { state: FindingState } & SizeProp) {
  const look = findingStateLooks[state];
  return (
    <Badge color={look.color} variant="light" size={size}>
      {look.label}
    </Badge>
  );
}

/** Where an open finding stands against its deadline. */
export function SlaStatusBadge({ status, size }: { status: Finding['slaStatus'] } & SizeProp) {
  const look = slaStatusLooks[status];
  return (
    <Badge color={look.color} variant="outline" size={size}>
      {look.label}
    </Badge>
  );
}
