import { Badge } from '@mantine/core';
import type { PersonStatus } from '@steward/contracts';
import { personStatusLabels } from './people-labels.ts';

/** A person's status as a badge. */
export function PersonStatusBadge({ status }: { status: PersonStatus }) {
  const color = status === 'active' ? 'green' : status === 'on_leave' ? 'yellow' : 'gray';
  return (
    <Badge color={color} variant="light">
      {personStatusLabels[status]}
    </Badge>
  );
}
