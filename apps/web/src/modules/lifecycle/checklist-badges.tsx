import { Badge } from '@mantine/core';
import type { Checklist } from '@steward/contracts';

/** Where a checklist stands, with overdue shown in red. */
export function ChecklistStatusBadge({
  checklist,
}: {
  checklist: Pick<Checklist, 'status' | 'isOverdue'>;
}) {
  if (checklist.status === 'open' && checklist.isOverdue) {
    return (
      <Badge color="red" variant="light">
        Overdue
      </Badge>
    );
  }
  const looks = {
    open: { color: 'blue', label: 'Open' },
    done: { color: 'green', label: 'Done' },
    cancelled: { color: 'gray', label: 'Cancelled' },
  } as const;
  const look = looks[checklist.status];
  return (
    <Badge color={look.color} variant="light">
      {look.label}
    </Badge>
  );
}
