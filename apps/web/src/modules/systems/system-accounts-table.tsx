import {
  Button,
  Group,
  NativeSelect,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import {
  accountFlags,
  accountStatuses,
  type Account,
  type AccountFlag,
  type AccountStatus,
} from '@steward/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { endpoints } from '@steward/contracts';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { AccountFlagBadges, AccountStatusBadge, flagLooks } from './account-flags.tsx';
import { systemsKey } from './systems-queries.ts';

/** A system's accounts (or a person's, with `personId`), filtered by status, flag and text. */
export function SystemAccountsTable({ systemId }: { systemId: string }) {
  const [status, setStatus] = useState<AccountStatus | ''>('');
  const [flag, setFlag] = useState<AccountFlag | ''>('');
  const [privileged, setPrivileged] = useState<'' | 'true' | 'false'>('');
  const [q, setQ] = useState('');
  const query = {
    systemId,
    limit: 100,
    ...(status ? { status } : {}),
    ...(flag ? { flag } : {}),
    ...(privileged ? { privileged } : {}),
    ...(q.trim() ? { q: q.trim() } : {}),
  };
  const accounts = useInfiniteQuery({
    queryKey: [systemsKey, 'accounts', 'pages', query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      call(endpoints.listAccounts, {
        query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items: Account[] = accounts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search accounts"
          placeholder="User name, email, id"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        <NativeSelect
          label="Status"
          data={[
            { value: '', label: 'Any' },
            ...accountStatuses.map((s) => ({ value: s, label: s })),
          ]}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as AccountStatus | '')}
        />
        <NativeSelect
          label="Flag"
          data={[
            { value: '', label: 'Any' },
            ...accountFlags.map((f) => ({ value: f, label: flagLooks[f].label })),
          ]}
          value={flag}
          onChange={(e) => setFlag(e.currentTarget.value as AccountFlag | '')}
        />
        <NativeSelect
          label="Privileged"
          data={[
            { value: '', label: 'Any' },
            { value: 'true', label: 'Privileged' },
            { value: 'false', label: 'Not privileged' },
          ]}
          value={privileged}
          onChange={(e) => setPrivileged(e.currentTarget.value as '' | 'true' | 'false')}
        />
      </Group>
      {accounts.isPending ? <LoadingBlock label="Loading accounts" /> : null}
      {accounts.isError ? (
        <QueryError
          error={accounts.error}
          title="Could not load accounts"
          onRetry={() => void accounts.refetch()}
        />
      ) : null}
      {accounts.isSuccess && items.length === 0 ? (
        <Text c="dimmed">No account matches.</Text>
      ) : null}
      {items.length > 0 ? (
        <ScrollArea>
          <Table striped highlightOnHover miw={800} verticalSpacing="xs" aria-label="Accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Account</Table.Th>
                <Table.Th scope="col">Person</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Privileged</Table.Th>
                <Table.Th scope="col">Entitlements</Table.Th>
                <Table.Th scope="col">Last sign-in</Table.Th>
                <Table.Th scope="col">Flags</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <AnchorLink to="/accounts/$accountId" params={{ accountId: a.id }}>
                      {a.username ?? a.email ?? a.externalId}
                    </AnchorLink>
                    {a.accountType === 'service' ? (
                      <Text size="xs" c="dimmed">
                        Service account
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {a.person ? a.person.displayName : <Text c="dimmed">Unlinked</Text>}
                  </Table.Td>
                  <Table.Td>
                    <AccountStatusBadge status={a.status} />
                  </Table.Td>
                  <Table.Td>{a.privileged ? 'Yes' : 'No'}</Table.Td>
                  <Table.Td>{a.entitlementCount}</Table.Td>
                  <Table.Td>
                    <DateTime value={a.lastSignInAt} empty="Unknown" />
                  </Table.Td>
                  <Table.Td>
                    <AccountFlagBadges flags={a.flags} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      ) : null}
      {accounts.hasNextPage ? (
        <Button
          variant="default"
          loading={accounts.isFetchingNextPage}
          onClick={() => void accounts.fetchNextPage()}
        >
          Load more accounts
        </Button>
      ) : null}
    </Stack>
  );
}
