import {
  Badge,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, systemEnvironments } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { SystemFormModal } from './system-form-modal.tsx';
import { invalidateSystems, systemSettingsQuery, systemsQuery } from './systems-queries.ts';

const connectorNames: Record<string, string> = {
  postgresql: 'PostgreSQL',
  csv: 'CSV upload',
  push: 'Push API',
  scim: 'SCIM directory',
};

function DormancySetting() {
  const settings = useQuery(systemSettingsQuery);
  if (!settings.data) return null;
  return <DormancyForm initialDays={settings.data.dormantDays} />;
}

function DormancyForm({ initialDays }: { initialDays: number }) {
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number | string>(initialDays);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => call(endpoints.updateSystemSettings, { body: { dormantDays: Number(days) } }),
    onSuccess: async () => {
      setError(null);
      notifications.show({ color: 'green', message: 'Dormancy setting saved' });
      await invalidateSystems(queryClient);
    },
    onError: (e) => setError(describeError(e)),
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h5">
          Account flags
        </Title>
        <FormAlert message={error} />
        <Group align="flex-end">
          <NumberInput
            label="Dormant after (days without a sign-in)"
            min={1}
            max={3650}
            value={days}
            onChange={setDays}
            w={260}
          />
          <Button variant="default" loading={save.isPending} onClick={() => save.mutate()}>
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function SystemsContent() {
  const canManage = useCan('systems.manage');
  const [q, setQ] = useState('');
  const [environment, setEnvironment] = useState('');
  const [isAdding, setAdding] = useState(false);
  const systems = useQuery(
    systemsQuery({
      ...(q.trim() ? { q: q.trim() } : {}),
      ...(environment ? { environment: environment as (typeof systemEnvironments)[number] } : {}),
    }),
  );
  return (
    <>
      <PageHeader
        title="Systems"
        description="Every system the company runs or uses, its accounts and who holds them."
        actions={canManage ? <Button onClick={() => setAdding(true)}>Add a system</Button> : null}
      />
      <Stack>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Search"
            placeholder="Name"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <NativeSelect
            label="Environment"
            data={[
              { value: '', label: 'Any' },
              ...systemEnvironments.map((e) => ({ value: e, label: e })),
            ]}
            value={environment}
            onChange={(e) => setEnvironment(e.currentTarget.value)}
          />
        </Group>
        {systems.isPending ? <LoadingBlock label="Loading systems" /> : null}
        {systems.isError ? (
          <QueryError
            error={systems.error}
            title="Could not load systems"
            onRetry={() => void systems.refetch()}
          />
        ) : null}
        {systems.isSuccess && systems.data.items.length === 0 ? (
          <Text c="dimmed">No system yet.</Text>
        ) : null}
        {systems.isSuccess && systems.data.items.length > 0 ? (
          <ScrollArea>
            <Table striped highlightOnHover miw={800} verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">System</Table.Th>
                  <Table.Th scope="col">Environment</Table.Th>
                  <Table.Th scope="col">Owner</Table.Th>
                  <Table.Th scope="col">Accounts from</Table.Th>
                  <Table.Th scope="col">Active accounts</Table.Th>
                  <Table.Th scope="col">Flagged</Table.Th>
                  <Table.Th scope="col">Last sync</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {systems.data.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <AnchorLink to="/systems/$systemId" params={{ systemId: s.id }}>
                          {s.name}
                        </AnchorLink>
                        {s.holdsCustomerData ? (
                          <Badge variant="light" color="blue">
                            Customer Data
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.environment}</Table.Td>
                    <Table.Td>{s.owner?.name ?? 'No owner'}</Table.Td>
                    <Table.Td>
                      {s.connectorKind ? connectorNames[s.connectorKind] : 'Not connected'}
                    </Table.Td>
                    <Table.Td>
                      {s.counts.active} ({s.counts.privileged} privileged)
                    </Table.Td>
                    <Table.Td>
                      {s.counts.flagged > 0 ? (
                        <Badge color="red" variant="light">
                          {s.counts.flagged}
                        </Badge>
                      ) : (
                        '0'
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <DateTime value={s.lastSync.at} />
                        {s.lastSync.status === 'failed' ? (
                          <Badge color="red" variant="light">
                            failed
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        ) : null}
        {canManage ? <DormancySetting /> : null}
      </Stack>
      {canManage ? <SystemFormModal opened={isAdding} onClose={() => setAdding(false)} /> : null}
    </>
  );
}

/** `/systems`: the inventory with account counts and flags. */
export function SystemsPage() {
  return (
    <RequirePermission permission="systems.read" title="Systems">
      <SystemsContent />
    </RequirePermission>
  );
}
