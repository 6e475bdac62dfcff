import { Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { lifecycleKinds, type Checklist, type LifecycleKind } from '@steward/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { CursorPager } from '../../components/cursor-pager.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink, ButtonLink } from '../../components/router-links.tsx';
import { ChecklistStatusBadge } from './checklist-badges.tsx';
import { LifecycleSummaryCard } from './lifecycle-summary-card.tsx';
import { checklistsQuery, kindLabels, type ChecklistFilters } from './lifecycle-queries.ts';

type StatusFilter = NonNullable<ChecklistFilters['status']>;

const statusOptions: { value: StatusFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'all', label: 'All' },
];

function ChecklistTable({ checklists }: { checklists: Checklist[] }) {
  return (
    <ListTable
      label="Checklists"
      columns={['Person', 'Kind', 'Why', 'Progress', 'Due', 'Status']}
      isEmpty={checklists.length === 0}
      emptyText="No checklist matches these filters."
      minWidth={700}
    >
      {checklists.map((checklist) => (
        <Table.Tr key={checklist.id}>
          <Table.Td>
            <AnchorLink to="/lifecycle/$checklistId" params={{ checklistId: checklist.id }}>
              {checklist.person.displayName}
            </AnchorLink>
            {checklist.person.department ? (
              <Text size="xs" c="dimmed">
                {checklist.person.department}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td>{kindLabels[checklist.kind]}</Table.Td>
          <Table.Td>{checklist.reason}</Table.Td>
          <Table.Td>
            {checklist.itemCount - checklist.openItemCount} of {checklist.itemCount}
          </Table.Td>
          <Table.Td>
            <DateTime value={checklist.dueAt} />
          </Table.Td>
          <Table.Td>
            <ChecklistStatusBadge checklist={checklist} />
          </Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}

function Lifecycle() {
  const canManage = useCan('people.manage');
  const [status, setStatus] = useState<StatusFilter>('open');
  const [kind, setKind] = useState<LifecycleKind | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const filters: ChecklistFilters = {
    status,
    ...(kind ? { kind } : {}),
    ...(cursors.length > 0 ? { cursor: cursors[cursors.length - 1] } : {}),
    limit: 50,
  };
  const checklists = useQuery({ ...checklistsQuery(filters), placeholderData: keepPreviousData });
  return (
    <>
      <PageHeader
        title="Joiners, movers and leavers"
        description="Checklists opened by changes in the people directory; a leaver's accounts close when a sync shows them disabled."
        actions={
          canManage ? (
            <ButtonLink to="/lifecycle/templates" variant="default">
              Templates and deadlines
            </ButtonLink>
          ) : null
        }
      />
      <Stack gap="md">
        <LifecycleSummaryCard />
        <Group align="flex-end" wrap="wrap">
          <SegmentedControl
            aria-label="Checklist status"
            data={statusOptions}
            value={status}
            onChange={(value) => {
              setStatus(value);
              setCursors([]);
            }}
          />
          <Select
            label="Kind"
            placeholder="Every kind"
            clearable
            data={lifecycleKinds.map((value) => ({ value, label: kindLabels[value] }))}
            value={kind}
            onChange={(value) => {
              setKind(value);
              setCursors([]);
            }}
            w={200}
          />
        </Group>
        {checklists.isPending ? <LoadingBlock label="Loading checklists" /> : null}
        {checklists.isError ? (
          <QueryError error={checklists.error} onRetry={() => void checklists.refetch()} />
        ) : null}
        {checklists.data ? <ChecklistTable checklists={checklists.data.items} /> : null}
        <CursorPager
          cursors={cursors}
          setCursors={setCursors}
          nextCursor={checklists.data?.nextCursor}
        />
      </Stack>
    </>
  );
}

/** Joiner, mover and leaver checklists, open and overdue first. */
export function LifecyclePage() {
  return (
    <RequirePermission permission="people.read" title="Joiners, movers and leavers">
      <Lifecycle />
    </RequirePermission>
  );
}
