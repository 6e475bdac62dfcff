import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Person, PersonChange } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { formatDay } from '../../lib/format.ts';
import { ChecklistStatusBadge } from '../lifecycle/checklist-badges.tsx';
import { kindLabels } from '../lifecycle/lifecycle-queries.ts';
import { employmentLabels, personSourceLabels } from './people-labels.ts';
import { personLifecycleQuery, personQuery } from './people-queries.ts';
import { PersonFormModal } from './person-form-modal.tsx';
import { PersonStatusBadge } from './person-status-badge.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replaceAll(' ', '-')}`;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

function ChangeHistory({ changes }: { changes: PersonChange[] }) {
  if (changes.length === 0) return <Text size="sm">No changes recorded.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label="Change history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>Changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((change) => (
            <Table.Tr key={change.seq}>
              <Table.Td>
                <DateTime value={change.occurredAt} />
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{change.kind}</Badge>
              </Table.Td>
              <Table.Td>
                {change.actorLabel ?? '—'} ({personSourceLabels[change.source]})
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {Object.entries(change.changes).map(([field, diff]) => (
                    <Text size="xs" key={field}>
                      {field}: {describeValue(diff.from)} → {describeValue(diff.to)}
                    </Text>
                  ))}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function LifecycleSection({ personId }: { personId: string }) {
  const lifecycle = useQuery(personLifecycleQuery(personId));
  if (lifecycle.isPending) return <LoadingBlock label="Loading accounts and checklists" />;
  if (lifecycle.isError) {
    return <QueryError error={lifecycle.error} onRetry={() => void lifecycle.refetch()} />;
  }
  const { accounts, checklists } = lifecycle.data;
  return (
    <>
      <Section title="Accounts in systems">
        {accounts.length === 0 ? (
          <Text size="sm">No account on the systems inventory is linked to this person.</Text>
        ) : (
          <Table.ScrollContainer minWidth={500}>
            <Table aria-label="Accounts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>System</Table.Th>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounts.map((account) => (
                  <Table.Tr key={account.id}>
                    <Table.Td>{account.system.name}</Table.Td>
                    <Table.Td>{account.username ?? account.email ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge color={account.status === 'active' ? 'green' : 'gray'} variant="light">
                        {account.status}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>
      <Section title="Lifecycle checklists">
        {checklists.length === 0 ? (
          <Text size="sm">No joiner, mover or leaver checklist yet.</Text>
        ) : (
          <Stack gap="xs">
            {checklists.map((checklist) => (
              <Group key={checklist.id} justify="space-between" wrap="wrap">
                <AnchorLink to="/lifecycle/$checklistId" params={{ checklistId: checklist.id }}>
                  {kindLabels[checklist.kind]}: {checklist.reason}
                </AnchorLink>
                <Group gap="xs">
                  <Text size="xs" c="dimmed">
                    {checklist.itemCount - checklist.openItemCount} of {checklist.itemCount} done
                  </Text>
                  <ChecklistStatusBadge checklist={checklist} />
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </Section>
    </>
  );
}

function PersonFields({ person, groups }: { person: Person; groups: { displayName: string }[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
      <Field label="Work email">{person.email ?? '—'}</Field>
      <Field label="Employee number">{person.employeeNumber ?? '—'}</Field>
      <Field label="Department">{person.department ?? '—'}</Field>
      <Field label="Title">{person.title ?? '—'}</Field>
      <Field label="Manager">
        {person.manager ? (
          <AnchorLink to="/people/$personId" params={{ personId: person.manager.id }}>
            {person.manager.displayName}
          </AnchorLink>
        ) : (
          (person.managerRef ?? '—')
        )}
      </Field>
      <Field label="Employment type">
        {person.employmentType ? employmentLabels[person.employmentType] : '—'}
      </Field>
      <Field label="Start date">{person.startDate ? formatDay(person.startDate) : '—'}</Field>
      <Field label="End date">{person.endDate ? formatDay(person.endDate) : '—'}</Field>
      <Field label="Status">
        <PersonStatusBadge status={person.status} />
      </Field>
      <Field label="Source">
        {personSourceLabels[person.source]}
        {person.scimUserName ? ` (${person.scimUserName})` : ''}
        {person.isRemovedByIdp ? ', removed by the identity provider' : ''}
      </Field>
      <Field label="Groups">
        {groups.length > 0 ? groups.map((g) => g.displayName).join(', ') : '—'}
      </Field>
    </SimpleGrid>
  );
}

function PersonDetail({ personId }: { personId: string }) {
  const canManage = useCan('people.manage');
  const detail = useQuery(personQuery(personId));
  const [isEditing, setIsEditing] = useState(false);
  if (detail.isPending) return <LoadingBlock label="Loading the person" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Person" />
        <QueryError
          error={detail.error}
          title="Could not load this person"
          onRetry={() => void detail.refetch()}
        />
      </>
    );
  }
  const { person, changes, groups } = detail.data;
  return (
    <>
      <PageHeader
        title={person.displayName}
        description={
          <AnchorLink to="/people" size="sm">
            Back to people
          </AnchorLink>
        }
        actions={canManage ? <Button onClick={() => setIsEditing(true)}>Edit</Button> : null}
      />
      <Stack gap="lg">
        <Section title="Details">
          <PersonFields person={person} groups={groups} />
        </Section>
        <LifecycleSection personId={personId} />
        <Section title="Change history">
          <ChangeHistory changes={changes} />
        </Section>
      </Stack>
      {isEditing ? <PersonFormModal person={person} onClose={() => setIsEditing(false)} /> : null}
    </>
  );
}

/** One person: fields, manager, accounts, lifecycle checklists and change history. */
export function PersonDetailPage({ personId }: { personId: string }) {
  return (
    <RequirePermission permission="people.read" title="Person">
      <PersonDetail personId={personId} />
    </RequirePermission>
  );
}
