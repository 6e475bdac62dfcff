import { Badge, Group, Table, Text } from '@mantine/core';
import type { User } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { formatDateTime, formatRole } from '../../lib/format.ts';
import { ChangeRoleButton } from './change-role-button.tsx';
import { UnlockUserButton } from './unlock-user-button.tsx';
import { UserStatusButton } from './user-status-button.tsx';
import { userSecurityQuery, usersQuery } from './users-queries.ts';

const statusBadges: Record<User['status'], { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  disabled: { label: 'Disabled', color: 'gray' },
  invited: { label: 'Invited', color: 'blue' },
};

/** The organisation's users; with `canManage`, each row offers role and status changes. */
export function UsersTable({ canManage }: { canManage: boolean }) {
  const me = useMe();
  const users = useQuery(usersQuery);
  // A failure here only hides the lock badges; the list itself stays usable.
  const security = useQuery(userSecurityQuery);
  const lockedUntil = new Map(
    (security.data?.items ?? []).flatMap((s) => (s.lockedUntil ? [[s.userId, s.lockedUntil]] : [])),
  );

  if (users.isPending) return <LoadingBlock label="Loading users" />;
  if (users.isError) {
    return (
      <QueryError
        error={users.error}
        title="Could not load users"
        onRetry={() => void users.refetch()}
      />
    );
  }

  return (
    <Table.ScrollContainer minWidth={canManage ? 860 : 680}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>
          {users.data.items.length === 1 ? '1 user' : `${users.data.items.length} users`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Email</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Last sign-in</Table.Th>
            {canManage ? <Table.Th scope="col">Actions</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data.items.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Th scope="row" fw={500}>
                <span id={`user-${user.id}-name`}>{user.name}</span>
                {user.id === me.user.id ? (
                  <Badge variant="outline" color="gray" size="xs" ml={6} tt="none">
                    You
                  </Badge>
                ) : null}
              </Table.Th>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{user.email}</Table.Td>
              <Table.Td>{formatRole(user.role)}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Badge color={statusBadges[user.status].color} variant="light">
                    {statusBadges[user.status].label}
                  </Badge>
                  {lockedUntil.has(user.id) ? (
                    <Badge
                      color="orange"
                      variant="light"
                      title={`Locked until ${formatDateTime(lockedUntil.get(user.id) ?? '', true)}`}
                    >
                      Locked
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" span>
                  <DateTime value={user.lastSignInAt} />
                </Text>
              </Table.Td>
              {canManage ? (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <ChangeRoleButton user={user} />
                    {user.status === 'invited' ? null : <UserStatusButton user={user} />}
                    {lockedUntil.has(user.id) ? <UnlockUserButton user={user} /> : null}
                  </Group>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
