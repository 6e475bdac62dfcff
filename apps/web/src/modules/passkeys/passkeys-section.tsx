import {
  Button,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { endpoints, type Passkey } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { call, isApiErrorCode } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { meQuery } from '../auth/auth-queries.ts';
import { mfaStatusQuery } from '../mfa/mfa-queries.ts';
import { addPasskey, describePasskeyError, passkeysQuery } from './passkey-client.ts';

function errorText(error: unknown): string | null {
  if (!error) return null;
  return describePasskeyError(error) ?? describeError(error);
}

/** Name and create a passkey; `onDone` runs once it is registered. */
export function AddPasskeyForm({ onDone }: { onDone?: () => void }) {
  const [name, setName] = useState('');
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () => addPasskey(name),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: passkeysQuery.queryKey });
      await queryClient.invalidateQueries({ queryKey: mfaStatusQuery.queryKey });
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
      onDone?.();
    },
  });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate();
      }}
    >
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Passkey name"
          placeholder="e.g. Work laptop"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errorText(add.error)}
          required
        />
        <Button type="submit" loading={add.isPending}>
          Add a passkey
        </Button>
      </Group>
    </form>
  );
}

function RenameButton({ passkey }: { passkey: Passkey }) {
  const [name, setName] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const rename = useMutation({
    mutationFn: (value: string) =>
      call(endpoints.renamePasskey, { params: { id: passkey.id }, body: { name: value } }),
    onSuccess: async () => {
      setName(null);
      await queryClient.invalidateQueries({ queryKey: passkeysQuery.queryKey });
    },
  });
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setName(passkey.name)}>
        Rename
      </Button>
      <Modal opened={name !== null} onClose={() => setName(null)} title="Rename passkey">
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate(name ?? '');
          }}
        >
          <Stack>
            <FormAlert message={errorText(rename.error)} />
            <TextInput
              label="New name"
              value={name ?? ''}
              onChange={(event) => setName(event.currentTarget.value)}
              required
            />
            <Button type="submit" loading={rename.isPending}>
              Save
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function RemoveButton({ passkey }: { passkey: Passkey }) {
  const [needsPassword, setNeedsPassword] = useState(false);
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (body: { password?: string }) =>
      call(endpoints.removePasskey, { params: { id: passkey.id }, body }),
    onSuccess: async () => {
      setNeedsPassword(false);
      await queryClient.invalidateQueries({ queryKey: passkeysQuery.queryKey });
    },
    onError: (error) => {
      if (isApiErrorCode(error, 'passkey.reauthentication_required')) setNeedsPassword(true);
    },
  });
  return (
    <>
      <Button
        size="xs"
        color="red"
        variant="light"
        loading={remove.isPending && !needsPassword}
        onClick={() => remove.mutate({})}
      >
        Remove
      </Button>
      {!needsPassword && remove.error ? (
        <Text size="xs" c="red">
          {errorText(remove.error)}
        </Text>
      ) : null}
      <Modal
        opened={needsPassword}
        onClose={() => setNeedsPassword(false)}
        title={`Remove ${passkey.name}`}
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate({ password });
          }}
        >
          <Stack>
            <Text size="sm">Confirm with your password to remove this passkey.</Text>
            <FormAlert
              message={
                isApiErrorCode(remove.error, 'passkey.reauthentication_required')
                  ? null
                  : errorText(remove.error)
              }
            />
            <PasswordInput
              label="Your password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              required
            />
            <Button type="submit" color="red" loading={remove.isPending}>
              Remove
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** The security page's passkeys section: list, add, rename, remove. */
export function PasskeysSection() {
  const passkeys = useQuery(passkeysQuery);
  return (
    <section aria-labelledby="passkeys-heading">
      <Title order={2} id="passkeys-heading" mb={4}>
        Passkeys
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Sign in with your device&apos;s screen lock or a security key instead of a password and
        code. A passkey counts as two-factor authentication.
      </Text>
      {passkeys.isPending ? <LoadingBlock label="Loading passkeys" /> : null}
      {passkeys.isError ? (
        <QueryError
          error={passkeys.error}
          title="Could not load passkeys"
          onRetry={() => void passkeys.refetch()}
        />
      ) : null}
      {passkeys.data && passkeys.data.items.length > 0 ? (
        <Table mb="md" aria-label="Your passkeys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {passkeys.data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{new Date(p.createdAt).toLocaleDateString()}</Table.Td>
                <Table.Td>
                  {p.lastUsedAt ? new Date(p.lastUsedAt).toLocaleString() : 'Never'}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end">
                    <RenameButton passkey={p} />
                    <RemoveButton passkey={p} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <AddPasskeyForm />
    </section>
  );
}
