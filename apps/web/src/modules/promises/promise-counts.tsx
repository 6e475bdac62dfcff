import { Group, Text } from '@mantine/core';
import { promiseStatuses } from '@steward/contracts';
import { PromiseStatusBadge, promiseStatusLooks } from '../../components/status-badges.tsx';

/** How many promises stand in each status, as labelled coloured counts. */
export function PromiseCounts({
  counts,
}: {
  counts: Partial<Record<(typeof promiseStatuses)[number], number>>;
}) {
  return (
    <Group gap="sm" wrap="wrap">
      {promiseStatuses.map((status) => (
        <Group key={status} gap={4} wrap="nowrap">
          <PromiseStatusBadge status={status} count={counts[status] ?? 0} size="sm" />
          <Text size="xs">{promiseStatusLooks[status].label}</Text>
        </Group>
      ))}
    </Group>
  );
}
