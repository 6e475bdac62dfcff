import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type accountDetailSchema } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
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
import { usersQuery } from '../users/users-queries.ts';
import { AccountFlagBadges, AccountStatusBadge } from './account-flags.tsx';
import { accountQuery, invalidateSystems } from './systems-queries.ts';

type AccountDetail = z.output<typeof accountDetailSchema>;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}

function LinkPerson({ account }: { account: AccountDetail }) {
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [personId, setPersonId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const people = useQuery({
    queryKey: ['people', 'search', q],
    queryFn: ({ signal }) =>
      call(endpoints.listPeople, {
        query: { limit: 20, ...(q.trim() ? { q: q.trim() } : {}) },
        signal,
      }),
    enabled: q.trim().length >= 2,
  });
  const link = useMutation({
    mutationFn: () =>
      call(endpoints.linkAccount, { params: { id: account.id }, body: { personId } }),
    onSuccess: async () => {
      setError(null);
      notifications.show({ color: 'green', message: 'Account linked' });
      await invalidateSystems(queryClient);
    },
    onError: (e) => setError(describeError(e)),
  });
  const unlink = useMutation({
    mutationFn: () => call(endpoints.unlinkAccount, { params: { id: account.id } }),
    onSuccess: async () => {
      setError(null);
      notifications.show({ color: 'green', message: 'Account unlinked' });
      await invalidateSystems(queryClient);
    },
    onError: (e) => setError(describeError(e)),
  });
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3} size="h5">
          Person
        </Title>
        <FormAlert message={error} />
        {account.person ? (
          <Group>
            <Text>
              Linked to {account.person.displayName} ({account.linkMethod ?? ''})
            </Text>
            <Button variant="default" loading={unlink.isPending} onClick={() => unlink.mutate()}>
              Unlink
            </Button>
          </Group>
        ) : (
          <Text c="dimmed">Not linked to a person.</Text>
        )}
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Find a person"
            placeholder="Name or email"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <NativeSelect
            label="Person"
            data={[
              { value: '', label: q.trim().length >= 2 ? 'Choose' : 'Type two letters first' },
              ...(people.data?.items ?? []).map((p) => ({
                value: p.id,
                label: `${p.displayName}${p.email ? ` (${p.email})` : ''}`,
              })),
            ]}
            value={personId}
            onChange={(e) => setPersonId(e.currentTarget.value)}
          />
          <Button disabled={!personId} loading={link.isPending} onClick={() => link.mutate()}>
            Link
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function Registration({ account }: { account: AccountDetail }) {
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery);
  const [accountType, setAccountType] = useState(account.accountType);
  const [ownerId, setOwnerId] = useState(account.serviceOwner?.id ?? '');
  const [justification, setJustification] = useState(account.privilegeJustification ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateAccount, {
        params: { id: account.id },
        body: {
          accountType,
          serviceOwnerUserId: accountType === 'service' && ownerId ? ownerId : null,
          privilegeJustification: justification,
        },
      }),
    onSuccess: async () => {
      setError(null);
      notifications.show({ color: 'green', message: 'Account saved' });
      await invalidateSystems(queryClient);
    },
    onError: (e) => setError(describeError(e)),
  });
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3} size="h5">
          Registration
        </Title>
        <FormAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label="Account type"
            data={[
              { value: 'user', label: "A person's account" },
              { value: 'service', label: 'Service account' },
            ]}
            value={accountType}
            onChange={(e) => setAccountType(e.currentTarget.value as 'user' | 'service')}
          />
          {accountType === 'service' ? (
            <NativeSelect
              label="Service account owner"
              data={[
                { value: '', label: 'No owner' },
                ...(users.data?.items ?? [])
                  .filter((u) => u.status === 'active')
                  .map((u) => ({ value: u.id, label: u.name })),
              ]}
              value={ownerId}
              onChange={(e) => setOwnerId(e.currentTarget.value)}
            />
          ) : null}
        </SimpleGrid>
        <Textarea
          label="Why this privileged access stands"
          description="Recorded for the standing administrators check"
          autosize
          minRows={2}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
        />
        <Group>
          <Button loading={save.isPending} onClick={() => save.mutate()}>
            Save registration
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function AccountDetailContent({ accountId }: { accountId: string }) {
  const canManage = useCan('systems.manage');
  const account = useQuery(accountQuery(accountId));
  if (account.isPending) return <LoadingBlock label="Loading account" />;
  if (account.isError)
    return <QueryError error={account.error} title="Could not load this account" />;
  const a = account.data;
  return (
    <>
      <PageHeader
        title={a.username ?? a.email ?? a.externalId}
        description={`Account on ${a.system.name}`}
      />
      <Stack>
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Fact label="System">
              <AnchorLink to="/systems/$systemId" params={{ systemId: a.system.id }}>
                {a.system.name}
              </AnchorLink>
            </Fact>
            <Fact label="Status">
              <AccountStatusBadge status={a.status} />
            </Fact>
            <Fact label="Privileged">{a.privileged ? 'Yes' : 'No'}</Fact>
            <Fact label="MFA">
              {a.mfaEnabled === null ? 'Unknown' : a.mfaEnabled ? 'On' : 'Off'}
            </Fact>
            <Fact label="External id">{a.externalId}</Fact>
            <Fact label="Email">{a.email ?? ''}</Fact>
            <Fact label="Person">{a.person?.displayName ?? 'Unlinked'}</Fact>
            <Fact label="Last sign-in">
              <DateTime value={a.lastSignInAt} empty="Unknown" />
            </Fact>
            <Fact label="Valid until">
              <DateTime value={a.validUntil} empty="No expiry" />
            </Fact>
            <Fact label="First seen">
              <DateTime value={a.firstSeenAt} />
            </Fact>
            <Fact label="Last seen">
              <DateTime value={a.lastSeenAt} />
            </Fact>
            <Fact label="Flags">
              <AccountFlagBadges flags={a.flags} />
            </Fact>
          </SimpleGrid>
        </Paper>
        <Title order={2} size="h4">
          Entitlements
        </Title>
        {a.entitlements.length === 0 ? <Text c="dimmed">None.</Text> : null}
        {a.entitlements.length > 0 ? (
          <ScrollArea>
            <Table striped miw={500} aria-label="Entitlements of the account">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Privileged</Table.Th>
                  <Table.Th scope="col">Role profile</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.entitlements.map((e) => (
                  <Table.Tr key={`${e.kind}:${e.name}`}>
                    <Table.Td>{e.kind}</Table.Td>
                    <Table.Td>{e.name}</Table.Td>
                    <Table.Td>{e.privileged ? 'Yes' : 'No'}</Table.Td>
                    <Table.Td>
                      {e.excess ? (
                        <Badge color="grape" variant="light">
                          Not in profile
                        </Badge>
                      ) : (
                        'Allowed or no profile'
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        ) : null}
        {canManage ? <LinkPerson account={a} /> : null}
        {canManage ? <Registration key={a.id} account={a} /> : null}
        <Title order={2} size="h4">
          History
        </Title>
        {a.history.length === 0 ? <Text c="dimmed">No change recorded.</Text> : null}
        {a.history.map((h) => (
          <Text key={`${h.occurredAt}-${h.kind}`} size="sm">
            <DateTime value={h.occurredAt} precise /> — {h.kind}
            {Object.keys(h.changes).length > 0 ? `: ${JSON.stringify(h.changes)}` : ''}
          </Text>
        ))}
      </Stack>
    </>
  );
}

/** `/accounts/$accountId`: an account with its entitlements, flags, person link and history. */
export function AccountDetailPage({ accountId }: { accountId: string }) {
  return (
    <RequirePermission permission="systems.read" title="Account">
      <AccountDetailContent accountId={accountId} />
    </RequirePermission>
  );
}
