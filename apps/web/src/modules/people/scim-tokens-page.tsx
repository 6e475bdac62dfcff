import {
  Badge,
  Button,
  Code,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints, scimBasePath, type ScimToken } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { FormFrame } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm, describeError } from '../../lib/form-errors.ts';
import { TokenSecret } from '../tokens/token-secret.tsx';
import { scimTokensQuery } from './people-queries.ts';

function CreateScimTokenModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [alert, setAlert] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() === '' ? 'Name the identity provider connection' : null) },
  });
  const create = useMutation({
    mutationFn: (name: string) => call(endpoints.createScimToken, { body: { name } }),
    onSuccess: async (created) => {
      setSecret(created.secret);
      await queryClient.invalidateQueries({ queryKey: scimTokensQuery.queryKey });
    },
    onError: (error) => setAlert(applyErrorToForm(form, error)),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={secret ? 'Your new SCIM token' : 'Create a SCIM token'}
      closeOnClickOutside={!secret}
    >
      {secret ? (
        <TokenSecret secret={secret} onDone={onClose} />
      ) : (
        <FormFrame
          onSubmit={form.onSubmit((v) => create.mutate(v.name.trim()))}
          error={alert}
          onCancel={onClose}
          submitLabel="Create token"
          isPending={create.isPending}
        >
          <TextInput
            label="Connection name"
            description='The identity provider using it, e.g. "Okta production"'
            required
            {...form.getInputProps('name')}
          />
        </FormFrame>
      )}
    </Modal>
  );
}

function RevokeScimToken({ token }: { token: ScimToken }) {
  const queryClient = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: () => call(endpoints.revokeScimToken, { params: { id: token.id } }),
    onSuccess: async () => {
      setIsOpen(false);
      notifications.show({ color: 'green', message: `SCIM token ${token.name} is revoked` });
      await queryClient.invalidateQueries({ queryKey: scimTokensQuery.queryKey });
    },
  });
  return (
    <>
      <Button size="xs" variant="light" color="red" onClick={() => setIsOpen(true)}>
        Revoke {token.name}
      </Button>
      <ConfirmModal
        opened={isOpen}
        title={`Revoke ${token.name}?`}
        confirmLabel="Revoke token"
        isPending={revoke.isPending}
        error={revoke.isError ? describeError(revoke.error) : null}
        onConfirm={() => revoke.mutate()}
        onClose={() => {
          revoke.reset();
          setIsOpen(false);
        }}
      >
        The identity provider using the token starting with {token.prefix} will be refused from now
        on. This cannot be undone.
      </ConfirmModal>
    </>
  );
}

function ScimTokens() {
  const tokens = useQuery(scimTokensQuery);
  const [isCreating, setIsCreating] = useState(false);
  const endpointUrl = `${window.location.origin}${scimBasePath}`;
  return (
    <>
      <PageHeader
        title="SCIM tokens"
        description={
          <AnchorLink to="/people" size="sm">
            Back to people
          </AnchorLink>
        }
        actions={<Button onClick={() => setIsCreating(true)}>Create SCIM token</Button>}
      />
      <Stack gap="md">
        <Text size="sm">
          Identity providers push people and groups to <Code>{endpointUrl}</Code> with a bearer
          token of their own connection. The secret is shown once and stored hashed.
        </Text>
        {tokens.isPending ? <LoadingBlock label="Loading SCIM tokens" /> : null}
        {tokens.isError ? (
          <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : null}
        {tokens.data && tokens.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No SCIM token yet.
          </Text>
        ) : null}
        {tokens.data && tokens.data.items.length > 0 ? (
          <Table.ScrollContainer minWidth={650}>
            <Table aria-label="SCIM tokens">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Connection</Table.Th>
                  <Table.Th>Prefix</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.items.map((token) => (
                  <Table.Tr key={token.id}>
                    <Table.Td>{token.name}</Table.Td>
                    <Table.Td>
                      <Code>{token.prefix}</Code>
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={token.createdAt} /> by {token.createdBy}
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={token.lastUsedAt} />
                    </Table.Td>
                    <Table.Td>
                      {token.revokedAt ? (
                        <Badge color="gray" variant="light">
                          Revoked
                        </Badge>
                      ) : (
                        <Badge color="green" variant="light">
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {token.revokedAt ? null : <RevokeScimToken token={token} />}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
      {isCreating ? <CreateScimTokenModal onClose={() => setIsCreating(false)} /> : null}
    </>
  );
}

/** SCIM tokens of the identity provider connections: create (shown once), list, revoke. */
export function ScimTokensPage() {
  return (
    <RequirePermission permission="people.manage" title="SCIM tokens">
      <ScimTokens />
    </RequirePermission>
  );
}
