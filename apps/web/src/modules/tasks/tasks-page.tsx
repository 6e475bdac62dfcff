import { Button, Group, NativeSelect, Tabs, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { taskStateSchema, taskStates } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { taskStateLooks } from '../../components/status-badges.tsx';
import { TaskFormModal } from './task-form-modal.tsx';
import { tasksQuery } from './tasks-queries.ts';
import type { TaskFilters } from './tasks-queries.ts';
import type { TasksSearch } from './tasks-search.ts';
import { TasksTable } from './tasks-table.tsx';

function TaskList({ filters, empty }: { filters: TaskFilters; empty: string }) {
  const tasks = useQuery(tasksQuery(filters));
  if (tasks.isPending) return <LoadingBlock label="Loading tasks" />;
  if (tasks.isError) {
    return (
      <QueryError
        error={tasks.error}
        title="Could not load tasks"
        onRetry={() => void tasks.refetch()}
      />
    );
  }
  const items = tasks.data.items;
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" aria-live="polite">
        {empty}
      </Text>
    );
  }
  return (
    <TasksTable tasks={items} caption={items.length === 1 ? '1 task' : `${items.length} tasks`} />
  );
}

function TasksContent({ search }: { search: TasksSearch }) {
  const canManage = useCan('program.manage');
  const navigate = useNavigate();
  const [isCreateOpen, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [state, setState] = useState<TaskFilters['state']>(undefined);
  const tab = search.tab ?? 'mine';

  const stateFilter = (
    <NativeSelect
      label="State"
      value={state ?? ''}
      onChange={(event) => {
        const parsed = taskStateSchema.safeParse(event.currentTarget.value);
        setState(parsed.success ? parsed.data : undefined);
      }}
      data={[
        { value: '', label: 'Any state' },
        ...taskStates.map((s) => ({ value: s, label: taskStateLooks[s].label })),
      ]}
      w={200}
    />
  );

  return (
    <>
      <PageHeader
        title="Tasks"
        description="Recurring evidence: reviews, tests and checks due on a cadence. Completing one means attaching its evidence."
        actions={canManage ? <Button onClick={openCreate}>New task</Button> : null}
      />
      <Group mb="md">{stateFilter}</Group>
      <Tabs
        value={tab}
        onChange={(value) =>
          void navigate({ to: '/tasks', search: value === 'all' ? { tab: 'all' } : {} })
        }
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="mine">My tasks</Tabs.Tab>
          <Tabs.Tab value="all">All tasks</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mine">
          {tab === 'mine' ? (
            <TaskList
              filters={{ mine: true, state }}
              empty="No tasks of yours match. Tasks you own appear here."
            />
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="all">
          {tab === 'all' ? <TaskList filters={{ state }} empty="No tasks match." /> : null}
        </Tabs.Panel>
      </Tabs>
      {canManage ? <TaskFormModal opened={isCreateOpen} onClose={closeCreate} /> : null}
    </>
  );
}

/** `/tasks`: my tasks and all tasks, with completion and (for managers) creation. */
export function TasksPage({ search }: { search: TasksSearch }) {
  return (
    <RequirePermission permission="program.read" title="Tasks">
      <TasksContent search={search} />
    </RequirePermission>
  );
}
