import { Badge, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints, type Invitation } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { call } from '../../lib/api-client.ts';
import { formatRole } from '../../lib/format.ts';
import { invitationsQuery, usersQuery } from './users-queries.ts';

function RevokeInvitationButton({ invitation }: { invitation: Invitation }) {
  const queryClient = useQueryClient();
  const [isConfirmOpen, { open, close }] = useDisclosure(false);
  const revoke = useMutation({
    mutationFn: () => call(endpoints.revokeInvitation, { params: { id: invitation.id } }),
    onSuccess: async () => {
      close();
      notifications.show({ color: 'green', message: `Invitation to ${invitation.email} revoked` });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: invitationsQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: usersQuery.queryKey }),
      ]);
    },
  });
  return (
    <ConfirmButton
      label="Revoke"
      describedBy={`invitation-${invitation.id}-email`}
      opened={isConfirmOpen}
      onOpen={open}
      onClose={close}
      title={`Revoke the invitation to ${invitation.email}?`}
      confirmLabel="Revoke invitation"
      action={revoke}
      onConfirm={() => revoke.mutate()}
    >
      The link in the email stops working and the account stays disabled. You can invite the same
      address again later.
    </ConfirmButton>
  );
}

/** Invitations that have not been accepted yet, with a revoke action. */
export function PendingInvitations() {
  const invitations = useQuery(invitationsQuery);
  const [now] = useState(() => Date.now());

  return (
    <section aria-labelledby="invitations-heading">
      <Title order={2} id="invitations-heading" mt="xl" mb="sm">
        Pending invitations
      </Title>
      {invitations.isPending ? <LoadingBlock label="Loading invitations" /> : null}
      {invitations.isError ? (
        <QueryError
          error={invitations.error}
          title="Could not load invitations"
          onRetry={() => void invitations.refetch()}
        />
      ) : null}
      {invitations.data?.items.length === 0 ? (
        <Text c="dimmed">No invitations are waiting.</Text>
      ) : null}
      {invitations.data && invitations.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Email</Table.Th>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">Invited by</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.items.map((invitation) => (
                <Table.Tr key={invitation.id}>
                  <Table.Th scope="row" fw={500}>
                    <span id={`invitation-${invitation.id}-email`}>{invitation.email}</span>
                  </Table.Th>
                  <Table.Td>{invitation.name}</Table.Td>
                  <Table.Td>{formatRole(invitation.role)}</Table.Td>
                  <Table.Td>{invitation.invitedBy ?? '—'}</Table.Td>
                  <Table.Td>
                    <DateTime value={invitation.expiresAt} />
                    {new Date(invitation.expiresAt).getTime() <= now ? (
                      <Badge color="gray" variant="light" size="xs" ml={6} tt="none">
                        Expired
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <RevokeInvitationButton invitation={invitation} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </section>
  );
}
