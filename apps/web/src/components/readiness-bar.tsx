import { Group, Progress, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatPercent } from '../lib/format.ts';

interface Readiness {
  passing: number;
  total: number;
  percent: number;
}

interface ReadinessBarProps {
  label: ReactNode;
  /** The plain-text name of the bar for assistive technology. */
  name: string;
  readiness: Readiness;
  /** What the counted items are, e.g. "mapped" (default "passing"). */
  countedAs?: string;
}

function colorOf(percent: number): string {
  if (percent >= 80) return 'green';
  if (percent >= 50) return 'yellow';
  return 'red';
}

/** One labelled readiness bar: the name, "passing of total" and the percentage. */
export function ReadinessBar({ label, name, readiness, countedAs = 'passing' }: ReadinessBarProps) {
  const summary =
    readiness.total === 0
      ? 'Nothing in scope'
      : `${readiness.passing} of ${readiness.total} ${countedAs}`;
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={500} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          {label}
        </Text>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {readiness.total === 0 ? '—' : formatPercent(readiness.percent)}
        </Text>
      </Group>
      <Progress
        value={readiness.total === 0 ? 0 : readiness.percent}
        color={colorOf(readiness.percent)}
        size="md"
        aria-label={`${name}: ${readiness.total === 0 ? 'nothing in scope' : formatPercent(readiness.percent)}`}
      />
      <Text size="xs" c="dimmed">
        {summary}
      </Text>
    </Stack>
  );
}
