import {
  Badge,
  Button,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type System } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { AccountsCsvUpload } from './accounts-csv-upload.tsx';
import { SystemAccountsTable } from './system-accounts-table.tsx';
import { SystemFormModal } from './system-form-modal.tsx';
import {
  entitlementsQuery,
  invalidateSystems,
  syncsQuery,
  systemQuery,
} from './systems-queries.ts';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{children}</Text>
    </div>
  );
}

function SyncHistory({ systemId }: { systemId: string }) {
  const syncs = useQuery(syncsQuery(systemId));
  if (syncs.isPending) return <LoadingBlock label="Loading sync history" />;
  if (syncs.isError) return <QueryError error={syncs.error} title="Could not load syncs" />;
  if (syncs.data.items.length === 0) return <Text c="dimmed">No sync yet.</Text>;
  return (
    <ScrollArea>
      <Table striped miw={700} aria-label="Sync history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Started</Table.Th>
            <Table.Th scope="col">Source</Table.Th>
            <Table.Th scope="col">By</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
            <Table.Th scope="col">Changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {syncs.data.items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <DateTime value={s.startedAt} precise />
              </Table.Td>
              <Table.Td>
                {s.source} ({s.trigger})
              </Table.Td>
              <Table.Td>{s.actorLabel ?? ''}</Table.Td>
              <Table.Td>
                <Badge color={s.status === 'succeeded' ? 'green' : 'red'} variant="light">
                  {s.status}
                </Badge>
                {s.error ? <Text size="sm">{s.error}</Text> : null}
              </Table.Td>
              <Table.Td>
                {s.status === 'succeeded'
                  ? `${String(s.counts.added ?? 0)} added, ${String(s.counts.changed ?? 0)} changed, ${String(s.counts.disabled ?? 0)} disabled, ${String(s.counts.removed ?? 0)} removed, ${String(s.counts.unchanged ?? 0)} unchanged`
                  : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

function Entitlements({ systemId }: { systemId: string }) {
  const list = useQuery(entitlementsQuery(systemId));
  if (list.isPending) return <LoadingBlock label="Loading entitlements" />;
  if (list.isError) return <QueryError error={list.error} title="Could not load entitlements" />;
  if (list.data.items.length === 0) return <Text c="dimmed">No entitlement known yet.</Text>;
  return (
    <ScrollArea>
      <Table striped miw={500} aria-label="Entitlements">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Privileged</Table.Th>
            <Table.Th scope="col">Active accounts</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.items.map((e) => (
            <Table.Tr key={`${e.kind}:${e.name}`}>
              <Table.Td>{e.kind}</Table.Td>
              <Table.Td>{e.name}</Table.Td>
              <Table.Td>{e.privileged ? 'Yes' : 'No'}</Table.Td>
              <Table.Td>{e.accounts}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

function Actions({ system }: { system: System }) {
  const queryClient = useQueryClient();
  const [isEditing, setEditing] = useState(false);
  const [isRetiring, setRetiring] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sync = useMutation({
    mutationFn: () => call(endpoints.syncSystem, { params: { id: system.id } }),
    onSuccess: async (result) => {
      setError(null);
      notifications.show({
        color: 'green',
        message: `Synced: ${String(result.counts.received ?? 0)} accounts read`,
      });
      await invalidateSystems(queryClient);
    },
    onError: async (e) => {
      setError(describeError(e));
      await invalidateSystems(queryClient);
    },
  });
  const test = useMutation({
    mutationFn: () => call(endpoints.testSystemConnection, { params: { id: system.id } }),
    onSuccess: (result) => {
      setError(null);
      notifications.show({
        color: 'green',
        message: `Connected to PostgreSQL ${result.serverVersion}: ${String(result.roles)} roles`,
      });
    },
    onError: (e) => setError(describeError(e)),
  });
  const retire = useMutation({
    mutationFn: () => call(endpoints.retireSystem, { params: { id: system.id } }),
    onSuccess: async () => {
      setRetiring(false);
      await invalidateSystems(queryClient);
    },
  });
  const isLive = system.retiredAt === null;
  const canSync = system.connectorKind === 'postgresql' || system.connectorKind === 'scim';
  return (
    <Stack gap="xs">
      <Group>
        {isLive && canSync ? (
          <Button loading={sync.isPending} onClick={() => sync.mutate()}>
            Sync now
          </Button>
        ) : null}
        {isLive && system.connectorKind === 'postgresql' ? (
          <Button variant="default" loading={test.isPending} onClick={() => test.mutate()}>
            Test connection
          </Button>
        ) : null}
        {isLive ? (
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        ) : null}
        {isLive ? (
          <Button variant="default" color="red" onClick={() => setRetiring(true)}>
            Retire
          </Button>
        ) : null}
      </Group>
      <FormAlert message={error} />
      <SystemFormModal system={system} opened={isEditing} onClose={() => setEditing(false)} />
      <ConfirmModal
        opened={isRetiring}
        title="Retire this system?"
        confirmLabel="Retire"
        isPending={retire.isPending}
        error={retire.isError ? describeError(retire.error) : null}
        onConfirm={() => retire.mutate()}
        onClose={() => setRetiring(false)}
      >
        Its accounts stay in the inventory as evidence; it is no longer synced.
      </ConfirmModal>
    </Stack>
  );
}

function SystemDetailContent({ systemId }: { systemId: string }) {
  const canManage = useCan('systems.manage');
  const system = useQuery(systemQuery(systemId));
  if (system.isPending) return <LoadingBlock label="Loading system" />;
  if (system.isError) return <QueryError error={system.error} title="Could not load this system" />;
  const s = system.data;
  return (
    <>
      <PageHeader
        title={s.name}
        description={s.description ?? undefined}
        actions={canManage ? <Actions system={s} /> : null}
      />
      <Stack>
        {s.retiredAt ? (
          <Text c="dimmed">
            Retired <DateTime value={s.retiredAt} />
          </Text>
        ) : null}
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Fact label="Owner">{s.owner?.name ?? 'No owner'}</Fact>
            <Fact label="Environment">{s.environment}</Fact>
            <Fact label="Criticality">{s.criticality}</Fact>
            <Fact label="Customer Data">{s.holdsCustomerData ? 'Yes' : 'No'}</Fact>
            <Fact label="Sign-in">
              {s.signInMethod === 'sso' ? 'Single sign-on' : 'Local accounts'}
            </Fact>
            <Fact label="MFA enforced">{s.mfaEnforced ? 'Yes' : 'No'}</Fact>
            <Fact label="Review every">{s.reviewCadenceMonths} months</Fact>
            <Fact label="Administrator limit">{s.adminLimit ?? 'Not set'}</Fact>
            <Fact label="Accounts from">{s.connectorKind ?? 'Not connected'}</Fact>
            <Fact label="Scheduled sync">
              {s.syncIntervalHours ? `Every ${String(s.syncIntervalHours)} h` : 'On demand'}
            </Fact>
            <Fact label="Last sync">
              <DateTime value={s.lastSync.at} /> {s.lastSync.status ?? ''}
            </Fact>
            <Fact label="Accounts">
              {s.counts.active} active, {s.counts.disabled} disabled, {s.counts.removed} removed
            </Fact>
          </SimpleGrid>
        </Paper>
        {canManage && s.connectorKind === 'csv' && s.retiredAt === null ? (
          <AccountsCsvUpload systemId={s.id} />
        ) : null}
        <Tabs defaultValue="accounts" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="accounts">Accounts</Tabs.Tab>
            <Tabs.Tab value="entitlements">Entitlements</Tabs.Tab>
            <Tabs.Tab value="syncs">Sync history</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="accounts" pt="md">
            <SystemAccountsTable systemId={s.id} />
          </Tabs.Panel>
          <Tabs.Panel value="entitlements" pt="md">
            <Entitlements systemId={s.id} />
          </Tabs.Panel>
          <Tabs.Panel value="syncs" pt="md">
            <SyncHistory systemId={s.id} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}

/** `/systems/$systemId`: a system with its accounts, entitlements and sync history. */
export function SystemDetailPage({ systemId }: { systemId: string }) {
  return (
    <RequirePermission permission="systems.read" title="System">
      <SystemDetailContent systemId={systemId} />
    </RequirePermission>
  );
}
