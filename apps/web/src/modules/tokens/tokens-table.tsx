import { Badge, Code, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { formatRole } from '../../lib/format.ts';
import { RevokeTokenButton } from './revoke-token-button.tsx';
import { getTokenState, tokensQuery } from './tokens-queries.ts';
import type { TokenState } from './tokens-queries.ts';

const stateBadges: Record<TokenState, { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'red' },
};

/** The caller's tokens, newest first as the server sends them, with a revoke action. */
export function TokensTable() {
  const tokens = useQuery(tokensQuery);
  const [now] = useState(() => Date.now());

  if (tokens.isPending) return <LoadingBlock label="Loading tokens" />;
  if (tokens.isError) {
    return (
      <QueryError
        error={tokens.error}
        title="Could not load your tokens"
        onRetry={() => void tokens.refetch()}
      />
    );
  }
  if (tokens.data.items.length === 0) {
    return <Text c="dimmed">You have no API tokens yet.</Text>;
  }

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Prefix</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Expires</Table.Th>
            <Table.Th scope="col">Last used</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.data.items.map((token) => {
            const state = getTokenState(token, now);
            const badge = stateBadges[state];
            return (
              <Table.Tr key={token.id}>
                <Table.Th scope="row" fw={500} id={`token-${token.id}-name`}>
                  {token.name}
                </Table.Th>
                <Table.Td>
                  <Code>{token.prefix}</Code>
                </Table.Td>
                <Table.Td>{formatRole(token.role)}</Table.Td>
                <Table.Td>
                  <DateTime value={token.createdAt} />
                </Table.Td>
                <Table.Td>
                  <DateTime value={token.expiresAt} />
                </Table.Td>
                <Table.Td>
                  <DateTime value={token.lastUsedAt} />
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Badge color={badge.color} variant="light">
                      {badge.label}
                    </Badge>
                    {token.revokedAt ? (
                      <Text size="xs" c="dimmed">
                        <DateTime value={token.revokedAt} />
                      </Text>
                    ) : null}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {state === 'revoked' ? null : <RevokeTokenButton token={token} />}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
