import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { NativeSelect } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { controlStatuses, endpoints } from '@steward/contracts';
import type { ControlSortKey } from '@steward/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FilterPanel } from '../../components/filter-panel.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ControlStatusBadge, controlStatusLooks } from '../../components/status-badges.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import { formatDay } from '../../lib/format.ts';
import { frameworksQuery } from '../frameworks/frameworks-queries.ts';
import { controlPageSizes, exportFiltersOf, parseControlFilters } from './control-filters.ts';
import type { ControlFilters } from './control-filters.ts';
import { controlsQuery } from './controls-queries.ts';
import { CreateControlModal } from './create-control-modal.tsx';
import { useOwnerOptions, useSectionOptions } from './program-options.ts';
import { AnchorLink } from '../../components/router-links.tsx';

function readFilters(fields: FormData): ControlFilters {
  const data = Object.fromEntries(
    [...fields.entries()].filter(([, value]) => typeof value === 'string'),
  );
  return parseControlFilters(data);
}

const sortLabels: Record<ControlSortKey, string> = {
  section: 'Section, then reference',
  ref: 'Reference',
  title: 'Title',
  status: 'Status (worst first)',
  owner: 'Owner',
  changed: 'Last status change',
};

function ControlFiltersForm({ filters }: { filters: ControlFilters }) {
  const navigate = useNavigate();
  const sections = useSectionOptions();
  const owners = useOwnerOptions();
  const frameworks = useQuery(frameworksQuery);
  const frameworkOptions = (frameworks.data?.items ?? []).map((f) => ({
    value: f.id,
    label: f.name,
  }));

  const applyFilters = (data: FormData) => {
    void navigate({ to: '/controls', search: readFilters(data) });
  };

  return (
    // Keyed by the filters so the inputs show the address after back/forward navigation.
    <FilterPanel
      key={JSON.stringify(filters)}
      onApply={applyFilters}
      onClear={() => void navigate({ to: '/controls', search: {} })}
      columns={3}
    >
      <TextInput
        label="Search"
        name="q"
        defaultValue={filters.q ?? ''}
        description="Reference, title or description"
      />
      <NativeSelect
        label="Status"
        name="status"
        defaultValue={filters.status ?? ''}
        data={[
          { value: '', label: 'Any status' },
          ...controlStatuses.map((status) => ({
            value: status,
            label: controlStatusLooks[status].label,
          })),
        ]}
      />
      <NativeSelect
        label="Section"
        name="section"
        defaultValue={filters.section === undefined ? '' : String(filters.section)}
        data={[{ value: '', label: 'Any section' }, ...sections]}
      />
      <NativeSelect
        key={`owner-${owners.options.length}`}
        label="Owner"
        name="ownerId"
        defaultValue={filters.ownerId ?? ''}
        disabled={!owners.canList}
        data={[{ value: '', label: 'Anyone' }, ...owners.options]}
      />
      <NativeSelect
        key={`framework-${frameworkOptions.length}`}
        label="Framework"
        name="frameworkId"
        defaultValue={filters.frameworkId ?? ''}
        data={[{ value: '', label: 'Any framework' }, ...frameworkOptions]}
      />
      <TextInput
        label="As of"
        name="asOf"
        type="date"
        defaultValue={filters.asOf ?? ''}
        description="Statuses as they were at the end of that day"
      />
      <NativeSelect
        label="Sort by"
        name="sort"
        defaultValue={filters.sort ?? 'section'}
        data={Object.entries(sortLabels).map(([value, label]) => ({ value, label }))}
      />
      <NativeSelect
        label="Order"
        name="order"
        defaultValue={filters.order ?? 'asc'}
        data={[
          { value: 'asc', label: 'Ascending' },
          { value: 'desc', label: 'Descending' },
        ]}
      />
      <NativeSelect
        label="Per page"
        name="limit"
        defaultValue={String(filters.limit ?? 50)}
        data={controlPageSizes.map((size) => String(size))}
      />
    </FilterPanel>
  );
}

function Pager({
  from,
  to,
  total,
  onPrevious,
  onNext,
  isFetching,
}: {
  from: number;
  to: number;
  total: number;
  onPrevious: (() => void) | undefined;
  onNext: (() => void) | undefined;
  isFetching: boolean;
}) {
  return (
    <Group justify="space-between" mt="sm" gap="sm" component="nav" aria-label="Pages of controls">
      <Text size="sm" c="dimmed" aria-live="polite">
        {`Showing ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`}
      </Text>
      <Group gap="xs">
        <Button
          variant="default"
          onClick={onPrevious}
          disabled={onPrevious === undefined || isFetching}
        >
          Previous page
        </Button>
        <Button variant="default" onClick={onNext} disabled={onNext === undefined || isFetching}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}

function ControlsTable({ filters }: { filters: ControlFilters }) {
  // Cursors of the pages before this one; the page list starts over when the filters change
  // (the table is keyed by them).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const controls = useQuery({
    ...controlsQuery(filters, cursor),
    placeholderData: keepPreviousData,
  });
  if (controls.isPending) return <LoadingBlock label="Loading controls" />;
  if (controls.isError) {
    return (
      <QueryError
        error={controls.error}
        title="Could not load controls"
        onRetry={() => void controls.refetch()}
      />
    );
  }
  const { items, asOf, total, nextCursor } = controls.data;
  const count = total === 1 ? '1 control' : `${total.toLocaleString('en-US')} controls`;
  const pageSize = filters.limit ?? 50;
  const from = cursors.length * pageSize + 1;
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" aria-live="polite">
        No controls match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>{asOf ? `${count}, status as of ${formatDay(asOf)}` : count}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Control</Table.Th>
            <Table.Th scope="col">Section</Table.Th>
            <Table.Th scope="col">Owner</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Why</Table.Th>
            <Table.Th scope="col">Proofs</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((control) => (
            <Table.Tr key={control.id}>
              <Table.Th scope="row" fw={400} maw={320}>
                <AnchorLink
                  to="/controls/$controlId"
                  params={{ controlId: control.id }}
                  fw={500}
                  size="sm"
                >
                  {control.ref} · {control.title}
                </AnchorLink>
                {control.archived ? (
                  <Text size="xs" c="dimmed">
                    Archived
                  </Text>
                ) : null}
              </Table.Th>
              <Table.Td>{control.section ?? '—'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{control.owner?.name ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <ControlStatusBadge status={control.status} />
              </Table.Td>
              <Table.Td maw={320}>
                <Text size="sm" lineClamp={2}>
                  {control.statusReason}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="xs" c="dimmed">
                  {control.checkCount} checks · {control.taskCount} tasks · {control.evidenceCount}{' '}
                  evidence
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Pager
        from={from}
        to={from + items.length - 1}
        total={total}
        isFetching={controls.isFetching}
        onPrevious={
          cursors.length === 0
            ? undefined
            : () => {
                setCursors(cursors.slice(0, -1));
              }
        }
        onNext={
          nextCursor === null
            ? undefined
            : () => {
                setCursors([...cursors, nextCursor]);
              }
        }
      />
    </Table.ScrollContainer>
  );
}

function ControlsContent({ filters }: { filters: ControlFilters }) {
  const canManage = useCan('program.manage');
  const [isCreateOpen, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const csvUrl = endpointUrl(endpoints.exportControlsCsv, { query: exportFiltersOf(filters) });

  return (
    <Stack gap={0}>
      <PageHeader
        title="Controls"
        description="What the organisation does to keep its promises, each with its proof and status."
        actions={
          <>
            <Button component="a" href={csvUrl} download="controls.csv" variant="default">
              Export CSV
            </Button>
            {canManage ? <Button onClick={openCreate}>New control</Button> : null}
          </>
        }
      />
      <ControlFiltersForm filters={filters} />
      <ControlsTable key={JSON.stringify(filters)} filters={filters} />
      {canManage ? <CreateControlModal opened={isCreateOpen} onClose={closeCreate} /> : null}
    </Stack>
  );
}

/** `/controls`: the control list with filters, CSV export and (for managers) a new control. */
export function ControlsPage({ filters }: { filters: ControlFilters }) {
  return (
    <RequirePermission permission="program.read" title="Controls">
      <ControlsContent filters={filters} />
    </RequirePermission>
  );
}
