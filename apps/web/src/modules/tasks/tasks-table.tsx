import { Button, Group, Table, Text } from '@mantine/core';
import type { Task } from '@steward/contracts';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { TaskStateBadge } from '../../components/status-badges.tsx';
import { formatDay } from '../../lib/format.ts';
import { CompleteTaskModal } from './complete-task-modal.tsx';
import { TaskFormModal } from './task-form-modal.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

function formatCadence(months: number): string {
  if (months === 1) return 'Monthly';
  if (months === 3) return 'Quarterly';
  if (months === 6) return 'Every 6 months';
  if (months === 12) return 'Yearly';
  return `Every ${months} months`;
}

interface TasksTableProps {
  tasks: readonly Task[];
  caption?: string;
  showControl?: boolean;
}

/** Evidence tasks with state and due date; people who may, complete or edit them here. */
export function TasksTable({ tasks, caption, showControl = true }: TasksTableProps) {
  const canSubmit = useCan('evidence.submit');
  const canManage = useCan('program.manage');
  const [completing, setCompleting] = useState<Task | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const hasActions = canSubmit || canManage;

  return (
    <>
      <Table.ScrollContainer minWidth={showControl ? 940 : 780}>
        <Table striped highlightOnHover verticalSpacing="sm">
          {caption ? <Table.Caption>{caption}</Table.Caption> : null}
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Task</Table.Th>
              {showControl ? <Table.Th scope="col">Control</Table.Th> : null}
              <Table.Th scope="col">Owner</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Next due</Table.Th>
              <Table.Th scope="col">Last done</Table.Th>
              {hasActions ? <Table.Th scope="col">Actions</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.map((task) => (
              <Table.Tr key={task.id}>
                <Table.Th scope="row" fw={400} maw={300}>
                  <Text size="sm" fw={500} id={`task-${task.id}-title`}>
                    {task.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatCadence(task.cadenceMonths)}, {task.graceDays} days’ grace
                    {task.isActive ? '' : ' · inactive'}
                  </Text>
                </Table.Th>
                {showControl ? (
                  <Table.Td maw={240}>
                    <AnchorLink
                      to="/controls/$controlId"
                      params={{ controlId: task.control.id }}
                      size="sm"
                    >
                      {task.control.ref} · {task.control.title}
                    </AnchorLink>
                  </Table.Td>
                ) : null}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{task.owner?.name ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <TaskStateBadge state={task.state} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <time dateTime={task.nextDueOn}>{formatDay(task.nextDueOn)}</time>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    <DateTime value={task.lastCompletedAt} />
                  </Text>
                </Table.Td>
                {hasActions ? (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {canSubmit && task.isActive ? (
                        <Button
                          size="xs"
                          variant={
                            task.state === 'due' || task.state === 'overdue' ? 'filled' : 'default'
                          }
                          onClick={() => setCompleting(task)}
                          aria-describedby={`task-${task.id}-title`}
                        >
                          Complete
                        </Button>
                      ) : null}
                      {canManage ? (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(task)}
                          aria-describedby={`task-${task.id}-title`}
                        >
                          Edit
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canSubmit ? (
        <CompleteTaskModal task={completing} onClose={() => setCompleting(null)} />
      ) : null}
      {canManage && editing ? (
        <TaskFormModal opened task={editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}
