import { Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Person, PersonSource, PersonStatus } from '@steward/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { CursorPager } from '../../components/cursor-pager.tsx';
import { ListTable } from '../../components/list-table.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink, ButtonLink } from '../../components/router-links.tsx';
import { formatDay } from '../../lib/format.ts';
import { personSourceLabels, personStatusLabels } from './people-labels.ts';
import { PersonFormModal } from './person-form-modal.tsx';
import { PersonStatusBadge } from './person-status-badge.tsx';
import { peopleQuery } from './people-queries.ts';

function PeopleTable({ people }: { people: Person[] }) {
  return (
    <ListTable
      label="People"
      columns={['Name', 'Email', 'Department', 'Manager', 'Status', 'Source', 'Start']}
      isEmpty={people.length === 0}
      emptyText="No one matches these filters."
      minWidth={700}
    >
      {people.map((person) => (
        <Table.Tr key={person.id}>
          <Table.Td>
            <AnchorLink to="/people/$personId" params={{ personId: person.id }}>
              {person.displayName}
            </AnchorLink>
            {person.title ? (
              <Text size="xs" c="dimmed">
                {person.title}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td>{person.email ?? '—'}</Table.Td>
          <Table.Td>{person.department ?? '—'}</Table.Td>
          <Table.Td>{person.manager?.displayName ?? person.managerRef ?? '—'}</Table.Td>
          <Table.Td>
            <PersonStatusBadge status={person.status} />
          </Table.Td>
          <Table.Td>{personSourceLabels[person.source]}</Table.Td>
          <Table.Td>{person.startDate ? formatDay(person.startDate) : '—'}</Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}

function PeopleList() {
  const canManage = useCan('people.manage');
  const [status, setStatus] = useState<PersonStatus | null>(null);
  const [source, setSource] = useState<PersonSource | null>(null);
  const [department, setDepartment] = useState('');
  const [text, setText] = useState('');
  const [debouncedText] = useDebouncedValue(text, 300);
  const [debouncedDepartment] = useDebouncedValue(department, 300);
  const [cursors, setCursors] = useState<string[]>([]);
  const [isCreating, setIsCreating] = useState(false);
  const filters = {
    ...(status ? { status } : {}),
    ...(source ? { source } : {}),
    ...(debouncedDepartment.trim() ? { department: debouncedDepartment.trim() } : {}),
    ...(debouncedText.trim() ? { q: debouncedText.trim() } : {}),
    ...(cursors.length > 0 ? { cursor: cursors[cursors.length - 1] } : {}),
    limit: 50,
  };
  const people = useQuery({ ...peopleQuery(filters), placeholderData: keepPreviousData });
  const resetPaging = () => setCursors([]);

  return (
    <>
      <PageHeader
        title="People"
        description="The directory of personnel: pushed by the identity provider over SCIM, imported from CSV or entered by hand."
        actions={
          canManage ? (
            <Group gap="xs">
              <ButtonLink to="/people/import" variant="default">
                Import CSV
              </ButtonLink>
              <ButtonLink to="/people/scim-tokens" variant="default">
                SCIM tokens
              </ButtonLink>
              <Button onClick={() => setIsCreating(true)}>Add person</Button>
            </Group>
          ) : null
        }
      />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <TextInput
            label="Search"
            placeholder="Name, email or employee number"
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              resetPaging();
            }}
          />
          <TextInput
            label="Department"
            value={department}
            onChange={(e) => {
              setDepartment(e.currentTarget.value);
              resetPaging();
            }}
          />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={Object.entries(personStatusLabels).map(([value, label]) => ({ value, label }))}
            value={status}
            onChange={(value) => {
              setStatus(value as PersonStatus | null);
              resetPaging();
            }}
          />
          <Select
            label="Source"
            placeholder="Any source"
            clearable
            data={Object.entries(personSourceLabels).map(([value, label]) => ({ value, label }))}
            value={source}
            onChange={(value) => {
              setSource(value as PersonSource | null);
              resetPaging();
            }}
          />
        </SimpleGrid>
        {people.isPending ? <LoadingBlock label="Loading people" /> : null}
        {people.isError ? (
          <QueryError
            error={people.error}
            title="Could not load the directory"
            onRetry={() => void people.refetch()}
          />
        ) : null}
        {people.data ? <PeopleTable people={people.data.items} /> : null}
        <CursorPager
          cursors={cursors}
          setCursors={setCursors}
          nextCursor={people.data?.nextCursor}
        />
      </Stack>
      {isCreating ? <PersonFormModal person={null} onClose={() => setIsCreating(false)} /> : null}
    </>
  );
}

/** The people directory with filters and paging. */
export function PeoplePage() {
  return (
    <RequirePermission permission="people.read" title="People">
      <PeopleList />
    </RequirePermission>
  );
}
