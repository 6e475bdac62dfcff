import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import { controlStatuses } from '@steward/contracts';
import type { ControlStatus } from '@steward/contracts';
import { ControlStatusBadge, controlStatusLooks } from '../../components/status-badges.tsx';
import { formatDay } from '../../lib/format.ts';

interface StatusDay {
  day: string;
  status: ControlStatus;
  reason: string;
}

/** The days on which the status changed (the first day counts as a change). */
function changesOf(days: readonly StatusDay[]): StatusDay[] {
  return days.filter((entry, index) => index === 0 || days[index - 1]?.status !== entry.status);
}

/** A control's status per day as a compact strip, with the changes listed in words. */
export function StatusHistory({ history }: { history: readonly StatusDay[] }) {
  if (history.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No history yet: Steward records the status once a day.
      </Text>
    );
  }
  const days = [...history].sort((a, b) => a.day.localeCompare(b.day));
  const counts = controlStatuses
    .map((status) => ({ status, count: days.filter((d) => d.status === status).length }))
    .filter((entry) => entry.count > 0);
  const summary = `${days.length} day${days.length === 1 ? '' : 's'} recorded: ${counts
    .map((entry) => `${entry.count} ${controlStatusLooks[entry.status].label.toLowerCase()}`)
    .join(', ')}`;
  const changes = changesOf(days).reverse();

  return (
    <Stack gap="sm">
      <Group gap={2} wrap="wrap" role="img" aria-label={summary}>
        {days.map((entry) => (
          <Tooltip
            key={entry.day}
            label={`${formatDay(entry.day)}: ${controlStatusLooks[entry.status].label}`}
            withArrow
          >
            <Box
              w={8}
              h={24}
              style={{
                borderRadius: 2,
                background: `var(--mantine-color-${controlStatusLooks[entry.status].color}-5)`,
              }}
            />
          </Tooltip>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        {formatDay(days[0]?.day ?? '')} – {formatDay(days[days.length - 1]?.day ?? '')}. {summary}.
      </Text>
      <Stack
        component="ol"
        gap={6}
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
        aria-label="Status changes"
      >
        {changes.slice(0, 10).map((entry) => (
          <Group component="li" key={entry.day} gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" w={110} style={{ flexShrink: 0 }}>
              <time dateTime={entry.day}>{formatDay(entry.day)}</time>
            </Text>
            <ControlStatusBadge status={entry.status} size="sm" />
            <Text size="sm" c="dimmed">
              {entry.reason}
            </Text>
          </Group>
        ))}
      </Stack>
    </Stack>
  );
}
