import { Group, Stack, Text } from '@mantine/core';
import type { Task } from '@steward/contracts';
import { TaskStateBadge } from '../../components/status-badges.tsx';
import { formatDay } from '../../lib/format.ts';
import { AnchorLink } from '../../components/router-links.tsx';

/** The next evidence tasks falling due, each linking to its control. */
export function UpcomingTasks({ tasks }: { tasks: readonly Task[] }) {
  if (tasks.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No tasks falling due soon.
      </Text>
    );
  }
  return (
    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
      {tasks.map((task) => (
        <li key={task.id}>
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
            <Stack gap={2} miw={0}>
              <Text size="sm" fw={500}>
                {task.title}
              </Text>
              <AnchorLink
                to="/controls/$controlId"
                params={{ controlId: task.control.id }}
                size="xs"
              >
                {task.control.ref} · {task.control.title}
              </AnchorLink>
              <Text size="xs" c="dimmed">
                Due <time dateTime={task.nextDueOn}>{formatDay(task.nextDueOn)}</time>
                {task.owner ? ` · ${task.owner.name}` : ''}
              </Text>
            </Stack>
            <TaskStateBadge state={task.state} />
          </Group>
        </li>
      ))}
    </Stack>
  );
}
